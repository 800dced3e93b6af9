/**
 * The FanOutFanIn handler factories (re-exports only).
 */
export { fanOutWorker, type FanOutWorkerHandler } from './worker';
export { fanOutJoin, type FanOutJoinHandler } from './join';
