/**
 * pp-patterns runtime: the factories a user's Lambda handler file is written with, and the
 * batching/retry building blocks they stand on. Imported as `pp-patterns/runtime`.
 *
 * This file only re-exports.
 */

// Runtime core: work-queue handler, publishing, batch writes, chunking, retries (engineer A).
export { workQueue } from './work-queue/factory';
export { createWorkQueueHandler, runWorkQueueBatch, type BatchRun, type WorkQueueHandler } from './lib/work-queue/handler';
export { resolveWorkQueueConfig, DEFAULT_ITEM_CONCURRENCY, type BatchContext, type ItemContext, type WorkQueueConfig, type WorkQueueOptions, type WorkQueueWiring } from './lib/work-queue/options';
export { settleBatch, type SettleConfig } from './lib/work-queue/settle-batch';
export { parseSqsEvent, recordSize, isFifoRecord, type Envelope, type ParsedRecords, type ParseRecordsOptions, type PoisonRecord } from './lib/work-queue/sqs-records';
export { runEachItem, runBatch, type BatchItemOutcome, type ItemOutcome, type RunEachOptions } from './lib/work-queue/item-runner';
export { toBatchResponse, failedWithFifoStops } from './lib/work-queue/batch-response';
export { sendToDeadLetter, toDeadLetterMessage, type DeadLetterCandidate, type DeadLetterReport } from './lib/work-queue/dead-letter';
export { QueuePublisher, type PublishMessage, type PublishResult, type QueuePublisherOptions } from './lib/publisher';
export { sqsMessageSize, type QueueSendPort, type SendBatchResult, type SendEntry, type SendEntryFailure } from './lib/queue-port';
export { BatchWriter, type BatchWritePort, type BatchWriteResult, type BatchWriterOptions, type BatchWriterResult, type DocumentItem, type WriteRequest } from './lib/batch-writer';
export { chunkByCount, chunkByCountAndBytes, type ChunkOptions } from './lib/chunk';
export { SqsLimits, DynamoDbLimits } from './lib/limits';
export { mapWithConcurrency } from './lib/concurrency';
export { backoffDelay, isRetryableCode, isRetryableError, withRetry, type BackoffOptions, type RetryOptions } from './lib/retry';
export { sqsSendPort, sharedSqsClient } from './lib/aws/sqs-send-port';
export { dynamoDbWritePort, sharedDocumentClient } from './lib/aws/dynamodb-write-port';
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

// Marker and Sweeper, Rolling Poller Window (engineer E).
export { sweeper } from './marker-sweeper/factory';
export { createMarkerHandler, createSweeperHandler, type MarkerSweeperHandlerOptions, type MarkerSweeperWiring, type SweepContext, type SweeperFn, type SweeperHandler } from './lib/marker-sweeper/handlers';
export { markAll, keyReader, groupByKey, type MarkEvent, type MarkGroup, type MarkReport } from './lib/marker-sweeper/mark-events';
export { sweepOnce, sweepRun, findDue, type SweepFn, type SweepOptions, type SweepOutcome, type SweepReport, type SweepRunOptions } from './lib/marker-sweeper/sweep-run';
export { queueDelivery, type FlagMessage } from './lib/marker-sweeper/queue-delivery';
export { InMemoryFlagStore } from './lib/marker-sweeper/memory-flag-store';
export type { DueFlag, Flag, FlagStore, Lease, MarkOutcome } from './lib/marker-sweeper/types';
export { DynamoFlagStore, type DynamoFlagStoreOptions } from './lib/aws/flag-store';
export { statusChecker } from './rolling-poller/factory';
export { createPollerHandler, createWatchIngressHandler, type PollerHandler, type RollingPollerHandlerOptions, type RollingPollerWiring, type StatusCheckFn, type StatusContext } from './lib/rolling-poller/handlers';
export { pollTick, backoffMs, type TickOptions, type TickReport } from './lib/rolling-poller/poll-tick';
export { queueCompletionSink, parseWatchCommand } from './lib/rolling-poller/completions';
export { InMemoryWatchStore } from './lib/rolling-poller/memory-watch-store';
export type { CompletionEvent, CompletionSink, CursorState, PollRecord, StatusFn, StatusResult, WatchItem, WatchPage, WatchStore } from './lib/rolling-poller/types';
export { DynamoWatchStore, newWatchItem, type DynamoWatchStoreOptions } from './lib/aws/watch-store';
export { eventBridgeCompletionSink, type EventBridgeSinkOptions } from './lib/aws/watch-store-completions';

// Sparse Task (engineer F).
export { sparseTaskSubmitter, sparseTaskCompletionHandler, sparseTaskTimeoutMonitor, sparseTaskPendingGauge, type SparseTaskSubmitterOptions, type TimeoutMonitorResult } from './sparse-task/factory';
export type { SparseTaskRuntimeOptions } from './sparse-task/aws-wiring';
export { SparseTaskSubmitter, type SparseTaskSubmitterDeps, type StartContext, type StartFn, type StartResult, type SubmitOutcome, type TaskSubmission } from './lib/sparse-task/submitter';
export { SparseTaskCompletions, type SparseTaskCompletionsDeps, type TaskCompletionEvent, type CompletionOutcome } from './lib/sparse-task/completion';
export { SparseTaskTimeoutMonitor, type SparseTaskTimeoutMonitorDeps, type TimeoutOutcome } from './lib/sparse-task/timeout-monitor';
export { parseSubmission, parseCompletion, parseTimeoutPayload } from './lib/sparse-task/parse';
export { scheduleNameFor, finishedEventId, MONITOR_EVENT_ID } from './lib/sparse-task/names';
export { InMemoryTaskStore, InMemoryTimeoutScheduler, InMemoryEventSink, RecordingMetrics, ManualClock as SparseTaskManualClock } from './lib/sparse-task/in-memory';
export type { Clock, EventSink, Finish, FinishGuard, FinishReason, LoserKind, LoserRecord, SparseTaskMetrics, TaskError, TaskFinishedEvent, TaskRecord, TaskStatus, TaskStore, TerminalStatus, TimeoutPayload, TimeoutSchedule, TimeoutScheduler } from './lib/sparse-task/types';
export { DynamoTaskStore, type DynamoTaskStoreOptions } from './lib/aws/task-store';
export { EventBridgeTimeoutScheduler, atExpression, type EventBridgeTimeoutSchedulerOptions } from './lib/aws/timeout-scheduler';
export { SqsTaskEventSink, EventBridgeTaskEventSink } from './lib/aws/task-event-sink';
export { UnknownTaskError, CorrelationMismatchError, TaskStoreInconsistencyError, EventPublishError } from './lib/errors';

// Batch Stage Chain, multi-worker and routing (engineer D).
export { stage } from './stage-chain/factory';
export { createStageHandler, deliverResults, sinkFromEnv, type StageOptions, type StageWiring } from './lib/stage-chain/stage-handler';
export { NO_SINK, queueSink, tableSink, type ResultSink, type StageResult } from './lib/stage-chain/stage-sink';
export { compose, StepFailedError, type Step, type StepContext } from './lib/routing/compose';
export { createSplitter, splitterOutputs, type SplitFn, type SplitterOptions } from './lib/routing/splitter';
export { createSharder, shardKeyOf, type Sharder, type SharderOptions } from './lib/routing/sharder';
export { matchesPattern, bodyMatches, validatePattern, type FilterPattern, type FilterRule } from './lib/routing/filter-pattern';
export { groupByOutput, routeRecords, type OutputPublisher, type RouteFn, type RoutedRecord, type RouteGroups, type RouteOutcome } from './lib/routing/route-records';
export { createRouterHandler, type RouterHandlerOptions } from './lib/routing/create-router-handler';
export type { QueueSinkOptions } from './lib/stage-chain/stage-sink';
