/**
 * The bench SparseTask's submitter: `start` hands the job to the external system (a message on
 * its jobs queue, which the bench process plays) and returns at once; the external system
 * reports the completion to the task's completion queue when the job is done.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { sparseTaskSubmitter } from '../../functions/runtime';
import { SparseBenchEnv, type ExternalJob } from './env';

const sqs = new SQSClient({});
const jobsUrl = process.env[SparseBenchEnv.externalJobsUrl];

/** The Lambda handler. */
export const handler = sparseTaskSubmitter<{ readonly latencyMs: number }>({
  parseInput: (input) => {
    const latencyMs = (input as { latencyMs?: unknown } | null)?.latencyMs;
    if (typeof latencyMs !== 'number') throw new TypeError(`input.latencyMs must be a number, got ${JSON.stringify(latencyMs)}`);
    return { latencyMs };
  },
  start: async ({ taskId, correlationId, input }) => {
    const job: ExternalJob = { taskId, correlationId, latencyMs: input?.latencyMs ?? 0, mode: 'callback' };
    await sqs.send(new SendMessageCommand({ QueueUrl: jobsUrl, MessageBody: JSON.stringify(job) }));
    return { externalId: `job-${taskId}` };
  },
});
