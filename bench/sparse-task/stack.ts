/**
 * The sparse-task bench stack: a SparseTask whose submitter hands jobs to an external system
 * that calls back, and beside it the naive baseline — a plain queue and a worker Lambda that
 * starts the job and holds its invocation, polling the job's status until it is done.
 */
import { CfnOutput, Duration, Stack, type App } from 'aws-cdk-lib';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { fileURLToPath } from 'node:url';
import { handlerFunction } from '../../infra/private/handler-function';
import { SparseTask } from '../../infra/sparse-task';
import { SparseBenchEnv } from './env';

/** Output names of the stack. */
export const SparseBenchOutput = {
  submissionsUrl: 'SubmissionsUrl',
  completionsUrl: 'CompletionsUrl',
  finishedUrl: 'FinishedUrl',
  externalJobsUrl: 'ExternalJobsUrl',
  externalStatusTable: 'ExternalStatusTable',
  naiveTasksUrl: 'NaiveTasksUrl',
  naiveResultsTable: 'NaiveResultsTable',
  submitterFunction: 'SubmitterFunction',
  completionFunction: 'CompletionFunction',
  monitorFunction: 'MonitorFunction',
  naiveFunction: 'NaiveFunction',
} as const;

const entry = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));
const queue = (stack: Stack, id: string, props: ConstructorParameters<typeof Queue>[2] = {}) =>
  new Queue(stack, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, ...props });

/** Adds the stack to `app`; the naive worker sleeps `naivePollMs` between status polls. */
export function sparseTaskBenchStack(app: App, naivePollMs: number, id = 'SparseTaskBench'): Stack {
  const stack = new Stack(app, id);
  const externalJobs = queue(stack, 'ExternalJobs');
  const externalStatus = new TableV2(stack, 'ExternalStatus', { partitionKey: { name: 'jobId', type: AttributeType.STRING } });
  // The pending gauge is a per-minute Query per shard whatever the load: off, so the figures are per task.
  const tasks = new SparseTask(stack, 'Tasks', {
    submitterEntry: entry('submitter.ts'),
    submitterEnvironment: { [SparseBenchEnv.externalJobsUrl]: externalJobs.queueUrl },
    taskTimeout: Duration.minutes(10),
    pendingGauge: false,
  });
  externalJobs.grantSendMessages(tasks.submitterFunction);

  const naiveTasks = queue(stack, 'NaiveTasks', { visibilityTimeout: Duration.minutes(6), deadLetterQueue: { queue: queue(stack, 'NaiveTasksDlq'), maxReceiveCount: 3 } });
  const naiveResults = new TableV2(stack, 'NaiveResults', { partitionKey: { name: 'taskId', type: AttributeType.STRING } });
  const naive = handlerFunction(stack, 'NaiveWorker', {
    entry: entry('naive-worker.ts'),
    serviceName: 'sparse-task-bench-naive',
    timeout: Duration.minutes(1),
    environment: {
      [SparseBenchEnv.externalJobsUrl]: externalJobs.queueUrl,
      [SparseBenchEnv.externalStatusTable]: externalStatus.tableName,
      [SparseBenchEnv.naiveResultsTable]: naiveResults.tableName,
      [SparseBenchEnv.naivePollMs]: String(naivePollMs),
    },
  });
  naive.addEventSource(new SqsEventSource(naiveTasks, { batchSize: 1 }));
  externalJobs.grantSendMessages(naive);
  externalStatus.grantReadData(naive);
  naiveResults.grantWriteData(naive);

  const outputs: Record<string, string> = {
    [SparseBenchOutput.submissionsUrl]: tasks.ingress.queueUrl,
    [SparseBenchOutput.completionsUrl]: tasks.completionQueue.queueUrl,
    [SparseBenchOutput.finishedUrl]: (tasks.finishedQueue as Queue).queueUrl,
    [SparseBenchOutput.externalJobsUrl]: externalJobs.queueUrl,
    [SparseBenchOutput.externalStatusTable]: externalStatus.tableName,
    [SparseBenchOutput.naiveTasksUrl]: naiveTasks.queueUrl,
    [SparseBenchOutput.naiveResultsTable]: naiveResults.tableName,
    [SparseBenchOutput.submitterFunction]: tasks.submitterFunction.functionName,
    [SparseBenchOutput.completionFunction]: tasks.completionFunction.functionName,
    [SparseBenchOutput.monitorFunction]: tasks.timeoutMonitorFunction.functionName,
    [SparseBenchOutput.naiveFunction]: naive.functionName,
  };
  for (const [name, value] of Object.entries(outputs)) new CfnOutput(stack, name, { value });
  return stack;
}
