/**
 * The submitter of a Sparse Task whose external system cannot call back: `start` kicks the job
 * off (here: nothing to call) and asks the RollingPoller to watch it, by sending a `watch`
 * command to the poller's ingress. The poller's completion events go to the task's completion
 * queue, where the completion handler reads them as completions of the task with that id.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { WatchCommand } from '../../../functions/contract';
import { sparseTaskSubmitter } from '../../../functions/runtime';
import { FixtureEnv } from './env';

const sqs = new SQSClient({});

/** The Lambda handler. */
export const handler = sparseTaskSubmitter({
  start: async ({ taskId, input }) => {
    const command: WatchCommand = { action: 'watch', id: taskId, data: input };
    await sqs.send(new SendMessageCommand({ QueueUrl: process.env[FixtureEnv.watchQueueUrl], MessageBody: JSON.stringify(command) }));
    return { externalId: `watch-${taskId}` };
  },
});
