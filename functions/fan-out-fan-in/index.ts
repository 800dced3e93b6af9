/**
 * The FanOutFanIn handler factories (re-exports only).
 */
export { fanOutWorker, type FanOutWorkerHandler, type FanOutWorkerWiring } from './worker';
export { fanOutJoin, type FanOutJoinHandler, type FanOutJoinWiring } from './join';
export type { FanOutItemContext, FanOutWorkerOptions, Verdict } from '../lib/fan-out-fan-in/worker';
export type { FanOutJoinOptions, FanOutResult } from '../lib/fan-out-fan-in/join';
export type { RunReport } from '../lib/fan-out-fan-in/report';
export type { ItemRecord, JoinEvent, Progress, ReportSink, ResultStore, RunSummary, TolerancePolicy, WorkerEvent } from '../lib/fan-out-fan-in/types';
export { ItemsFailedError, PermanentItemError, ToleratedFailureExceededError } from '../lib/fan-out-fan-in/errors';
export { InMemoryReportSink, InMemoryResultStore } from '../lib/fan-out-fan-in/in-memory';
