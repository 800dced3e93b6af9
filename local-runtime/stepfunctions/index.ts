/**
 * Step Functions for the embedded runtime: template state machines on aws-local-stepfunctions
 * with Lambda tasks routed to the local Lambda host. Re-exports only; importing it installs
 * the Node 20 `Promise.withResolvers` polyfill before the library loads.
 */
import './polyfill';

export { classifyResource, prepareDefinition, type PreparedDefinition, type TaskKind } from './definition';
export { TaskFailure, TerminalTaskFailure } from './errors';
export type { ExecutionRecord, ExecutionStatus } from './executions';
export { KNOWN_GAPS, type KnownGap } from './known-gaps';
export { DISPOSED_CAUSE, LocalStateMachines, type LocalStateMachinesOptions, type RegisterStateMachineInput } from './local-state-machines';
export { functionArnOf, type InvokeLambda, type InvokeService, lambdaTaskFailure, MAX_PAYLOAD_BYTES, type TaskCaller } from './task-handlers';
