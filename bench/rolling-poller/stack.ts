/**
 * The rolling-poller bench stack: a RollingPoller over the bench status API, and beside it the
 * naive baseline — a plain watch table, a completion queue and a Lambda run by a one-minute
 * rule that calls the status API once per watched job per tick. Both tick every minute.
 */
import { CfnOutput, Duration, Stack, type App } from 'aws-cdk-lib';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { fileURLToPath } from 'node:url';
import { handlerFunction } from '../../infra/private/handler-function';
import { RollingPoller } from '../../infra/rolling-poller';

/** Output names of the stack. */
export const PollerBenchOutput = {
  watchTable: 'WatchTable',
  completionsUrl: 'CompletionsUrl',
  pollerFunction: 'PollerFunction',
  naiveWatchTable: 'NaiveWatchTable',
  naiveCompletionsUrl: 'NaiveCompletionsUrl',
  naiveFunction: 'NaiveFunction',
} as const;

const entry = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** Adds the stack to `app`: the RollingPoller calls the status API for `windowSize` jobs at a time, at most `maxCallsPerTick` times a tick. */
export function rollingPollerBenchStack(app: App, windowSize: number, maxCallsPerTick: number, id = 'RollingPollerBench'): Stack {
  const stack = new Stack(app, id);
  const jobs = new RollingPoller(stack, 'Jobs', { pollerEntry: entry('status-poller.ts'), windowSize, maxCallsPerTick, pollSchedule: Schedule.rate(Duration.minutes(1)) });

  const naiveWatch = new TableV2(stack, 'NaiveWatch', { partitionKey: { name: 'id', type: AttributeType.STRING } });
  const naiveCompletions = new Queue(stack, 'NaiveCompletions', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
  const naive = handlerFunction(stack, 'NaivePoller', {
    entry: entry('naive-poller.ts'),
    serviceName: 'rolling-poller-bench-naive',
    timeout: Duration.minutes(1),
    environment: { BENCH_NAIVE_WATCH_TABLE: naiveWatch.tableName, BENCH_NAIVE_COMPLETIONS_URL: naiveCompletions.queueUrl },
  });
  naiveWatch.grantReadWriteData(naive);
  naiveCompletions.grantSendMessages(naive);
  new Rule(stack, 'NaiveTick', { schedule: Schedule.rate(Duration.minutes(1)), targets: [new LambdaFunction(naive)] });

  const outputs: Record<string, string> = {
    [PollerBenchOutput.watchTable]: jobs.table.tableName,
    [PollerBenchOutput.completionsUrl]: (jobs.completionQueue as Queue).queueUrl,
    [PollerBenchOutput.pollerFunction]: jobs.pollerFunction.functionName,
    [PollerBenchOutput.naiveWatchTable]: naiveWatch.tableName,
    [PollerBenchOutput.naiveCompletionsUrl]: naiveCompletions.queueUrl,
    [PollerBenchOutput.naiveFunction]: naive.functionName,
  };
  for (const [name, value] of Object.entries(outputs)) new CfnOutput(stack, name, { value });
  return stack;
}
