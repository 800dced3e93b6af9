/**
 * `pp-patterns/testing`: doubles for testing handlers written with `pp-patterns/runtime`,
 * without AWS and without emulators.
 *
 * - In-memory stores behave like the DynamoDB ones (conditional writes, leases, cursors) and
 *   count their calls.
 * - Recording ports answer the batching building blocks from a script and keep every batch, so
 *   a test asserts exactly what was sent and re-sent.
 * - The `create*Handler` factories are the runtime's factories with their AWS wiring passed in,
 *   so a handler can run against the in-memory stores and recording ports.
 *
 * The names exported here are pinned by `test/package/surface.test.ts`.
 */

// Time and events.
export { ManualClock } from './lib/clock';
export { sqsEvent, sqsRecord, lambdaContext, TEST_QUEUE_ARN, TEST_FIFO_QUEUE_ARN, type RecordSpec } from './lib/testing/sqs-event';

// Recording ports for QueuePublisher and BatchWriter.
export { recordingSendPort, recordingWritePort, awsError, type Scripted } from './lib/testing/recording-ports';
export type { QueueSendPort, SendBatchResult, SendEntry } from './lib/queue-port';
export type { BatchWritePort, WritePortResult, WriteRequest } from './lib/batch-writer';

// Work queue and stage handlers with their wiring passed in.
export { createWorkQueueHandler } from './lib/work-queue/handler';
export type { WorkQueueWiring } from './lib/work-queue/options';
export { createStageHandler, type StageWiring } from './lib/stage-chain/stage-handler';

// Marker and Sweeper.
export { InMemoryFlagStore } from './lib/marker-sweeper/memory-flag-store';
export { createMarkerHandler, createSweeperHandler, type MarkerSweeperWiring } from './lib/marker-sweeper/handlers';
export type { FlagStore } from './lib/marker-sweeper/types';

// Rolling Poller Window.
export { InMemoryWatchStore } from './lib/rolling-poller/memory-watch-store';
export { createPollerHandler, createWatchIngressHandler, type RollingPollerWiring } from './lib/rolling-poller/handlers';
export type { CompletionSink, WatchStore } from './lib/rolling-poller/types';

// Sparse Task: pass these as `store`, `scheduler`, `sink` and `clock` in the factories' options.
export { InMemoryTaskStore, InMemoryTimeoutScheduler, InMemoryEventSink, RecordingMetrics } from './lib/sparse-task/in-memory';
export type { EventSink, TaskRecord, TaskStore, TimeoutScheduler } from './lib/sparse-task/types';

// Request Aggregator: a scheduler whose time moves only when told (windows, rate limits).
export { ManualScheduler } from './lib/request-aggregator/scheduler';

// FanOutFanIn: pass these as `store` (worker, join) and `sink` (join) in the factories' options.
export { InMemoryResultStore, InMemoryReportSink } from './lib/fan-out-fan-in/in-memory';
export type { ReportSink, ResultStore } from './lib/fan-out-fan-in/types';

// ParallelWorkflow, Reduce, SourceReconciler: in-memory stores with the DynamoDB stores' conditional semantics.
export { InMemoryStepRecordStore } from './lib/parallel-workflow/memory-store';
export { runWorkflowStep } from './lib/parallel-workflow/step';
export { InMemoryReduceStore } from './lib/reduce/memory-store';
export { createReducerHandler, type ReducerWiring } from './lib/reduce/handler';
export { InMemoryLedger } from './lib/source-reconciler/memory-ledger';
export { createSourceReconcilerHandler, type SourceReconcilerWiring } from './lib/source-reconciler/handler';
