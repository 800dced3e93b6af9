/**
 * The public surface, pinned: every name the three entry points export. A change here is a
 * semver decision, so it must be made on purpose — by editing the lists below with the entry.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportedNames } from '../helpers/export-names';

const root = join(import.meta.dirname, '..', '..');

const CONSTRUCTS = [
  'BatchStageChain', 'BatchStageChainProps', 'ChainStageProps', 'Copier', 'CopierProps', 'CopierTransport', 'FanOutFanIn', 'FanOutFanInProps', 'ItemSource',
  'Filter', 'FilterPattern', 'FilterProps', 'FilterRule', 'IMonitoredQueue', 'MarkerSweeper', 'MarkerSweeperProps', 'Merger',
  'MergerProps', 'PipelineMonitoring', 'PipelineMonitoringProps', 'QueueIngressProps', 'QueueMonitoringOptions', 'RollingPoller', 'RollingPollerProps', 'RouterProps', 'Sharder',
  'SharderProps', 'SparseTask', 'SparseTaskProps', 'Splitter', 'SplitterProps', 'StabilityWatch', 'WorkQueue', 'WorkQueueProps',
  // Request Aggregator.
  'RequestAggregator', 'RequestAggregatorProps',
  // ParallelWorkflow, Reduce, SourceReconciler.
  'ParallelWorkflow', 'ParallelWorkflowProps', 'WorkflowStepProps', 'WorkflowStepRetry', 'Reduce', 'ReduceProps',
  'ReconcilerSource', 'SourceReconciler', 'SourceReconcilerProps',
];

const RUNTIME = [
  'BatchContext', 'BatchWriter', 'BatchWriterOptions', 'BatchWriterResult', 'CheckStatusFn', 'CompletionEvent',
  'ConfigError', 'DocumentItem', 'FailedSendEntry', 'FifoGroupStoppedError', 'Flag', 'FullBatchFailureError',
  'InvalidEntryError', 'ItemContext', 'OversizeEntryError', 'PartialSendError', 'PermanentItemError', 'PoisonRecordError',
  'PollerContext', 'PollerHandler', 'PollerOptions', 'PpError', 'PpErrorOptions', 'PublishMessage', 'PublishResult',
  'QueuePublisher', 'QueuePublisherOptions', 'SparseTaskSubmitterOptions', 'StageOptions', 'StartContext', 'StartFn',
  'StartResult', 'StatusResult', 'Step', 'StepContext', 'StepFailedError', 'SweepContext', 'SweepFn', 'SweepOutcome',
  'SweeperHandler', 'SweeperOptions', 'TaskFinishedEvent', 'UnprocessedItemsError', 'WatchItem', 'WorkQueueHandler',
  'WorkQueueOptions', 'compose', 'dynamoDbWritePort', 'fanOutJoin', 'fanOutWorker', 'poller', 'sparseTaskSubmitter', 'sqsSendPort', 'stage',
  'sweeper', 'workQueue',
  // Request Aggregator.
  'AggregatorOptions', 'BatchFunctionError', 'RequestAggregator', 'RequestAggregatorOptions', 'RequestFailedError',
  'RequestTimeoutError', 'aggregator', 'aggregatorBackends', 'requestAggregatorClient',
  // ParallelWorkflow, Reduce, SourceReconciler: the factories only (their options types are the factories' parameters).
  'reducer', 'sourceReconciler', 'workflowStep',
];

const TESTING = [
  'BatchWritePort', 'CompletionSink', 'EventSink', 'FlagStore', 'InMemoryEventSink', 'InMemoryFlagStore', 'InMemoryReportSink', 'InMemoryResultStore',
  'InMemoryTaskStore', 'InMemoryTimeoutScheduler', 'InMemoryWatchStore', 'ManualClock', 'MarkerSweeperWiring',
  'QueueSendPort', 'RecordSpec', 'RecordingMetrics', 'ReportSink', 'ResultStore', 'RollingPollerWiring', 'Scripted', 'SendBatchResult', 'SendEntry',
  'StageWiring', 'TEST_FIFO_QUEUE_ARN', 'TEST_QUEUE_ARN', 'TaskRecord', 'TaskStore', 'TimeoutScheduler', 'WatchStore',
  'WorkQueueWiring', 'WritePortResult', 'WriteRequest', 'awsError', 'createMarkerHandler', 'createPollerHandler',
  'createStageHandler', 'createSweeperHandler', 'createWatchIngressHandler', 'createWorkQueueHandler', 'lambdaContext',
  'recordingSendPort', 'recordingWritePort', 'sqsEvent', 'sqsRecord',
  // Request Aggregator.
  'ManualScheduler',
  // ParallelWorkflow, Reduce, SourceReconciler.
  'InMemoryLedger', 'InMemoryReduceStore', 'InMemoryStepRecordStore', 'ReducerWiring', 'SourceReconcilerWiring',
  'createReducerHandler', 'createSourceReconcilerHandler', 'runWorkflowStep',
];

const byCodePoint = (names: readonly string[]) => [...names].sort();

describe('public surface', () => {
  it.each([
    ['pp-patterns', 'infra/index.ts', CONSTRUCTS],
    ['pp-patterns/runtime', 'functions/runtime.ts', RUNTIME],
    ['pp-patterns/testing', 'functions/testing.ts', TESTING],
  ])('%s exports exactly the pinned names', (_entry, file, pinned) => {
    expect(exportedNames(join(root, file))).toStrictEqual(byCodePoint(pinned));
  });

  it('keeps the runtime entry to one screen', () => {
    expect(exportedNames(join(root, 'functions/runtime.ts')).length).toBeLessThanOrEqual(68);
  });

  it('exports no name from two entry points', () => {
    const runtime = new Set(RUNTIME);
    expect(TESTING.filter((name) => runtime.has(name))).toStrictEqual([]);
  });
});
