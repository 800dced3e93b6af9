/**
 * The end-to-end stack of the MarkerSweeper's scheduled runs on the local runtime: one
 * MarkerSweeper sweeping every 15 seconds (an EventBridge rule starting the Step Functions
 * Wait loop each minute) into a delivery queue, and one on the default one-minute rule whose
 * sweeper crashes on a flag's first sweep, with a short lease.
 */
import { CfnOutput, Duration, Stack, type App } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { fileURLToPath } from 'node:url';
import { MarkerSweeper } from '../../../infra/marker-sweeper';

/** Output names of the stack. */
export const LoopE2EOutput = {
  loopIngressUrl: 'LoopIngressUrl',
  deliveriesQueueUrl: 'DeliveriesQueueUrl',
  loopStateMachineArn: 'LoopStateMachineArn',
  crashIngressUrl: 'CrashIngressUrl',
  recordQueueUrl: 'RecordQueueUrl',
} as const;

/** The sub-minute sweep interval of the looping MarkerSweeper. */
export const E2E_SWEEP_INTERVAL = Duration.seconds(15);

/** The lease of the crashing MarkerSweeper (longer than its one-minute sweeper timeout). */
export const E2E_CRASH_LEASE = Duration.minutes(3);

const fixture = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));
const queue = (stack: Stack, id: string) => new Queue(stack, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });

/** Adds the stack to `app`. */
export function markerSweeperLoopStack(app: App, id = 'MarkerSweeperLoopE2E'): Stack {
  const stack = new Stack(app, id);
  const deliveries = queue(stack, 'Deliveries');
  const loop = new MarkerSweeper(stack, 'Loop', { keyPath: 'room', deliveryQueue: deliveries, sweepInterval: E2E_SWEEP_INTERVAL });
  const record = queue(stack, 'Record');
  const crash = new MarkerSweeper(stack, 'Crash', {
    keyPath: 'room',
    sweeperEntry: fixture('crash-once-sweeper.ts'),
    sweeperEnvironment: { E2E_RECORD_QUEUE_URL: record.queueUrl },
    leaseDuration: E2E_CRASH_LEASE,
  });
  record.grantSendMessages(crash.sweeperFunction);
  const outputs: Record<string, string> = {
    [LoopE2EOutput.loopIngressUrl]: loop.ingress.queueUrl,
    [LoopE2EOutput.deliveriesQueueUrl]: deliveries.queueUrl,
    [LoopE2EOutput.loopStateMachineArn]: (loop.sweepLoop as NonNullable<MarkerSweeper['sweepLoop']>).stateMachineArn,
    [LoopE2EOutput.crashIngressUrl]: crash.ingress.queueUrl,
    [LoopE2EOutput.recordQueueUrl]: record.queueUrl,
  };
  for (const [name, value] of Object.entries(outputs)) new CfnOutput(stack, name, { value });
  return stack;
}
