/**
 * The end-to-end stack of the Sparse Task: one SparseTask whose external system calls back
 * (here: the test, reading the jobs queue and sending completions), and one notified by a
 * RollingPoller because its external system cannot call back.
 */
import { CfnOutput, Duration, Stack, type App } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { fileURLToPath } from 'node:url';
import { RollingPoller } from '../../../infra/rolling-poller';
import { SparseTask } from '../../../infra/sparse-task';
import { FixtureEnv } from './env';

/** Output names of the stack. */
export const SparseE2EOutput = {
  submissionsUrl: 'SubmissionsUrl',
  completionsUrl: 'CompletionsUrl',
  finishedUrl: 'FinishedUrl',
  jobsUrl: 'JobsUrl',
  tableName: 'TableName',
  scheduleGroup: 'ScheduleGroup',
  monitorName: 'MonitorName',
  polledSubmissionsUrl: 'PolledSubmissionsUrl',
  polledFinishedUrl: 'PolledFinishedUrl',
  polledTableName: 'PolledTableName',
} as const;

/** The task timeout of both SparseTasks. */
export const E2E_TASK_TIMEOUT = Duration.minutes(5);

const fixture = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));
const queue = (stack: Stack, id: string, props: ConstructorParameters<typeof Queue>[2] = {}) =>
  new Queue(stack, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, ...props });

/** Adds the stack to `app`. */
export function sparseTaskStack(app: App, id = 'SparseTaskE2E'): Stack {
  const stack = new Stack(app, id);
  const jobs = queue(stack, 'Jobs');
  const callbacks = new SparseTask(stack, 'Callbacks', {
    submitterEntry: fixture('submitter.ts'),
    submitterEnvironment: { [FixtureEnv.jobsQueueUrl]: jobs.queueUrl },
    taskTimeout: E2E_TASK_TIMEOUT,
  });
  jobs.grantSendMessages(callbacks.submitterFunction);
  const polled = polledTask(stack);
  const outputs: Record<string, string> = {
    [SparseE2EOutput.submissionsUrl]: callbacks.ingress.queueUrl,
    [SparseE2EOutput.completionsUrl]: callbacks.completionQueue.queueUrl,
    [SparseE2EOutput.finishedUrl]: (callbacks.finishedQueue as Queue).queueUrl,
    [SparseE2EOutput.jobsUrl]: jobs.queueUrl,
    [SparseE2EOutput.tableName]: callbacks.table.tableName,
    [SparseE2EOutput.scheduleGroup]: callbacks.scheduleGroup.scheduleGroupName,
    [SparseE2EOutput.monitorName]: callbacks.timeoutMonitorFunction.functionName,
    [SparseE2EOutput.polledSubmissionsUrl]: polled.ingress.queueUrl,
    [SparseE2EOutput.polledFinishedUrl]: (polled.finishedQueue as Queue).queueUrl,
    [SparseE2EOutput.polledTableName]: polled.table.tableName,
  };
  for (const [name, value] of Object.entries(outputs)) new CfnOutput(stack, name, { value });
  return stack;
}

/** A SparseTask notified by a RollingPoller: both share one completion queue. */
function polledTask(stack: Stack): SparseTask {
  const completions = queue(stack, 'PolledCompletions', { deadLetterQueue: { queue: queue(stack, 'PolledCompletionsDlq'), maxReceiveCount: 3 } });
  const poller = new RollingPoller(stack, 'PolledStatus', { pollerEntry: fixture('poll-status.ts'), completionQueue: completions });
  const polled = new SparseTask(stack, 'Polled', {
    submitterEntry: fixture('polled-submitter.ts'),
    submitterEnvironment: { [FixtureEnv.watchQueueUrl]: poller.ingress.queueUrl },
    completionQueue: completions,
    taskTimeout: E2E_TASK_TIMEOUT,
  });
  poller.grantSend(polled.submitterFunction);
  return polled;
}
