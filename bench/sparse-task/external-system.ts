/**
 * The external system both sides of the sparse-task bench use, played by the bench process:
 * it takes job starts from its jobs queue and finishes each job `latencyMs` (wall time) after
 * taking it — by calling back (a completion on the SparseTask's completion queue) or by
 * writing the job's status to its status table (what the naive worker polls).
 *
 * It signs as its own principal (`external`), so its own traffic (taking jobs, writing
 * statuses) is told apart from the stacks'; only its callbacks land on a queue of the stack.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalRuntime } from '../../local-runtime/runtime';
import type { ExternalJob } from './env';

/** Where the external system takes jobs from and reports to. */
export interface ExternalSystemTargets {
  readonly jobsUrl: string;
  readonly completionsUrl: string;
  readonly statusTable: string;
}

/** A running external system; `stop()` ends its loop and waits for jobs still running. */
export interface ExternalSystem {
  /** Jobs taken so far. */
  readonly jobsTaken: () => number;
  stop(): Promise<void>;
}

/** The access key id the external system signs with (any key id unknown to the gateway is `external`). */
export const EXTERNAL_KEY_ID = 'bench-external-system';

/** Starts the external system's loop against `runtime`. */
export function startExternalSystem(runtime: LocalRuntime, targets: ExternalSystemTargets): ExternalSystem {
  const config = { region: runtime.region, endpoint: runtime.endpoint, credentials: { accessKeyId: EXTERNAL_KEY_ID, secretAccessKey: 'local-runtime-secret' } };
  const sqs = new SQSClient(config);
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(config));
  const running = new Set<Promise<void>>();
  let taken = 0;
  let stopped = false;
  const finish = async (job: ExternalJob): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, job.latencyMs));
    if (job.mode === 'callback') {
      const completion = { taskId: job.taskId, correlationId: job.correlationId, status: 'SUCCEEDED', result: { latencyMs: job.latencyMs }, eventId: `done-${job.taskId}` };
      await sqs.send(new SendMessageCommand({ QueueUrl: targets.completionsUrl, MessageBody: JSON.stringify(completion) }));
    } else {
      await dynamo.send(new PutCommand({ TableName: targets.statusTable, Item: { jobId: job.taskId, status: 'SUCCEEDED' } }));
    }
  };
  const loop = (async () => {
    while (!stopped) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: targets.jobsUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const message of Messages) {
        taken++;
        const job = finish(JSON.parse(message.Body ?? '{}') as ExternalJob);
        running.add(job);
        void job.finally(() => running.delete(job));
        await sqs.send(new DeleteMessageCommand({ QueueUrl: targets.jobsUrl, ReceiptHandle: message.ReceiptHandle }));
      }
    }
  })();
  return {
    jobsTaken: () => taken,
    stop: async () => {
      stopped = true;
      await loop;
      await Promise.all(running);
      sqs.destroy();
      dynamo.destroy();
    },
  };
}
