/**
 * The FanOutFanIn handler factories (re-exports only).
 */
export { fanOutWorker, type FanOutWorkerHandler } from './worker-factory';
export { fanOutJoin, type FanOutJoinHandler } from './join-factory';
