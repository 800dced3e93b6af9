/**
 * The submitter of the Sparse Task end-to-end tests and construct tests, written as a user would:
 * `start` hands the job to the "external system" — here a jobs queue the test reads, playing that
 * system — and returns at once with the external id. It never waits for the job.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { sparseTaskSubmitter } from '../../../functions/runtime';
import { FixtureEnv } from './env';

const sqs = new SQSClient({});

/** The Lambda handler. */
export const handler = sparseTaskSubmitter<{ readonly size: number }>({
  parseInput: (input) => {
    const size = (input as { size?: unknown } | null)?.size;
    if (typeof size !== 'number') throw new TypeError(`input.size must be a number, got ${JSON.stringify(size)}`);
    return { size };
  },
  start: async ({ taskId, correlationId, input }) => {
    const queueUrl = process.env[FixtureEnv.jobsQueueUrl];
    if (queueUrl) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ taskId, correlationId, size: input?.size }) }));
    return { externalId: `job-${taskId}` };
  },
});
