/**
 * pp-patterns: parallel-processing patterns as AWS CDK constructs.
 *
 * This file only re-exports the public constructs; helpers that are not public live in
 * `infra/private/`.
 */
export { WorkQueue } from './work-queue';
export type { WorkQueueProps } from './work-queue';
export { MarkerSweeper } from './marker-sweeper';
export type { MarkerSweeperProps } from './marker-sweeper';
export { RollingPoller } from './rolling-poller';
export type { RollingPollerProps } from './rolling-poller';
export type { QueueIngressProps } from './queue-ingress';

export { BatchStageChain } from './batch-stage-chain';
export type { BatchStageChainProps, ChainStageProps } from './batch-stage-chain';
export { Copier, CopierTransport } from './routing/copier';
export type { CopierProps } from './routing/copier';
export { Filter } from './routing/filter';
export type { FilterProps } from './routing/filter';
export { Splitter } from './routing/splitter';
export type { SplitterProps } from './routing/splitter';
export { Sharder } from './routing/sharder';
export type { SharderProps } from './routing/sharder';
export { Merger } from './routing/merger';
export type { MergerProps } from './routing/merger';
export type { RouterProps } from './routing/router-queue';
export type { FilterPattern, FilterRule } from '../functions/contract';

export { SparseTask } from './sparse-task';
export type { SparseTaskProps } from './sparse-task-props';

// Observability: alarms and a dashboard over the constructs' metrics.
export { PipelineMonitoring } from './pipeline-monitoring';
export type { IMonitoredQueue, PipelineMonitoringProps, QueueMonitoringOptions, StabilityWatch } from './pipeline-monitoring';

// Request Aggregator.
export { RequestAggregator } from './request-aggregator';
export type { RequestAggregatorProps } from './request-aggregator';

// FanOutFanIn.
export { FanOutFanIn } from './fan-out-fan-in';
export type { FanOutFanInProps } from './fan-out-fan-in';
export type { ItemSource } from '../statemachines/fan-out-fan-in';
// ParallelWorkflow (DAG).
export { ParallelWorkflow } from './parallel-workflow';
export type { ParallelWorkflowProps, WorkflowStepProps, WorkflowStepRetry } from './parallel-workflow';

// Reduce.
export { Reduce } from './reduce';
export type { ReduceProps } from './reduce';

// SourceReconciler (work-queue manager).
export { ReconcilerSource, SourceReconciler } from './source-reconciler';
export type { SourceReconcilerProps } from './source-reconciler';
