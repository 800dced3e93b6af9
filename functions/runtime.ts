/**
 * `pp-patterns/runtime`: what a Lambda handler file is written with — one factory per pattern
 * (each taking one options object), the types of their options and of what they hand your
 * code, the errors, and the batching building blocks handlers call directly.
 *
 * Test doubles (in-memory stores, recorders, event builders) are in `pp-patterns/testing`.
 * The names exported here are pinned by `test/package/surface.test.ts`.
 */

// Work queue, and the Batch Stage Chain's stages (a stage is a work queue whose results go on).
export { workQueue } from './work-queue/factory';
export type { BatchContext, ItemContext, WorkQueueOptions } from './lib/work-queue/options';
export type { WorkQueueHandler } from './lib/work-queue/handler';
export { stage } from './stage-chain/factory';
export type { StageOptions } from './lib/stage-chain/stage-handler';

// Multi-worker: several steps run as one handler.
export { compose, type Step, type StepContext } from './lib/routing/compose';

// Marker and Sweeper.
export { sweeper } from './marker-sweeper/factory';
export type { SweepContext, SweepFn, SweeperHandler, SweeperOptions } from './lib/marker-sweeper/handlers';
export type { Flag } from './lib/marker-sweeper/types';
export type { SweepOutcome } from './lib/marker-sweeper/sweep-run';

// Rolling Poller Window.
export { poller } from './rolling-poller/factory';
export type { CheckStatusFn, PollerContext, PollerHandler, PollerOptions } from './lib/rolling-poller/handlers';
export type { CompletionEvent, StatusResult, WatchItem } from './lib/rolling-poller/types';

// Sparse Task.
export { sparseTaskSubmitter, type SparseTaskSubmitterOptions } from './sparse-task/factory';
export type { StartContext, StartFn, StartResult } from './lib/sparse-task/submitter';
export type { TaskFinishedEvent } from './lib/sparse-task/types';

// Batching building blocks: size-packed SendMessageBatch and BatchWriteItem with partial-failure retries.
export { QueuePublisher, type PublishMessage, type PublishResult, type QueuePublisherOptions } from './lib/publisher';
export { BatchWriter, type BatchWriterOptions, type BatchWriterResult, type DocumentItem } from './lib/batch-writer';
export { sqsSendPort } from './lib/aws/sqs-send-port';
export { dynamoDbWritePort } from './lib/aws/dynamodb-write-port';

// Errors.
export {
  PpError,
  ConfigError,
  PoisonRecordError,
  OversizeEntryError,
  InvalidEntryError,
  PartialSendError,
  UnprocessedItemsError,
  FullBatchFailureError,
  FifoGroupStoppedError,
  type FailedSendEntry,
  type PpErrorOptions,
} from './lib/errors';
export { StepFailedError } from './lib/routing/compose';

// Request Aggregator: single-key loads batched into backend calls, in one process or across Lambdas.
export { RequestAggregator } from './lib/request-aggregator/aggregator';
export type { RequestAggregatorOptions } from './lib/request-aggregator/options';
export { aggregator } from './request-aggregator/factory';
export type { AggregatorOptions } from './lib/request-aggregator/handler';
export { requestAggregatorClient } from './request-aggregator/client';
export { aggregatorBackends } from './request-aggregator/backends';
export { BatchFunctionError, RequestFailedError, RequestTimeoutError } from './lib/errors';

// FanOutFanIn: Step Functions Map (inline or distributed), join, report.
export { fanOutWorker } from './fan-out-fan-in/worker-factory';
export { fanOutJoin } from './fan-out-fan-in/join-factory';
export { PermanentItemError } from './lib/fan-out-fan-in/errors';

// ParallelWorkflow steps.
export { workflowStep } from './parallel-workflow/factory';

// Reduce.
export { reducer } from './reduce/factory';

// SourceReconciler.
export { sourceReconciler } from './source-reconciler/factory';
