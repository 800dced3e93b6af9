/**
 * The end-to-end stack of the MarkerSweeper and RollingPoller: a delivering MarkerSweeper, a
 * MarkerSweeper with a re-marking sweeper, and a RollingPoller whose status calls are recorded.
 */
import { CfnOutput, Stack, type App } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { fileURLToPath } from 'node:url';
import { MarkerSweeper } from '../../../infra/marker-sweeper';
import { RollingPoller } from '../../../infra/rolling-poller';

/** Output names of the stack. */
export const E2EOutput = {
  roomsIngressUrl: 'RoomsIngressUrl',
  deliveriesQueueUrl: 'DeliveriesQueueUrl',
  remarksIngressUrl: 'RemarksIngressUrl',
  recordQueueUrl: 'RecordQueueUrl',
  roomsSweeper: 'RoomsSweeperName',
  jobsIngressUrl: 'JobsIngressUrl',
  jobsCompletionsUrl: 'JobsCompletionsUrl',
  jobsCallsUrl: 'JobsCallsUrl',
} as const;

/** The poller's window in the end-to-end stack. */
export const E2E_WINDOW_SIZE = 30;

const fixture = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));
const queue = (stack: Stack, id: string) => new Queue(stack, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });

/** Adds the stack to `app`. */
export function markerSweeperStack(app: App, id = 'MarkerSweeperE2E'): Stack {
  const stack = new Stack(app, id);
  const deliveries = queue(stack, 'Deliveries');
  const rooms = new MarkerSweeper(stack, 'Rooms', { keyPath: 'room', deliveryQueue: deliveries, sweepBatchSize: 10, sweepMaxBatches: 100 });
  const record = queue(stack, 'Record');
  const remarks = new MarkerSweeper(stack, 'Remarks', {
    keyPath: 'room',
    sweeperEntry: fixture('remarking-sweeper.ts'),
    sweeperEnvironment: { E2E_RECORD_QUEUE_URL: record.queueUrl },
  });
  record.grantSendMessages(remarks.sweeperFunction);
  const calls = queue(stack, 'Calls');
  const jobs = new RollingPoller(stack, 'Jobs', {
    pollerEntry: fixture('status-checker.ts'),
    windowSize: E2E_WINDOW_SIZE,
    maxCallsPerTick: 100,
    pollerEnvironment: { E2E_CALLS_QUEUE_URL: calls.queueUrl },
  });
  calls.grantSendMessages(jobs.pollerFunction);
  const outputs: Record<string, string> = {
    [E2EOutput.roomsIngressUrl]: rooms.ingress.queueUrl,
    [E2EOutput.deliveriesQueueUrl]: deliveries.queueUrl,
    [E2EOutput.remarksIngressUrl]: remarks.ingress.queueUrl,
    [E2EOutput.recordQueueUrl]: record.queueUrl,
    [E2EOutput.roomsSweeper]: rooms.sweeperFunction.functionName,
    [E2EOutput.jobsIngressUrl]: jobs.ingress.queueUrl,
    [E2EOutput.jobsCompletionsUrl]: (jobs.completionQueue as Queue).queueUrl,
    [E2EOutput.jobsCallsUrl]: calls.queueUrl,
  };
  for (const [name, value] of Object.entries(outputs)) new CfnOutput(stack, name, { value });
  return stack;
}
