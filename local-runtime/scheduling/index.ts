/**
 * The embedded runtime's clock, EventBridge Scheduler, EventBridge (rules, PutEvents, event
 * patterns) and template schedule registration. Re-exports only.
 */
export { type Clock, isObservableClock, ManualClock, type ManualClockOptions, type ObservableClock, RealClock, type RealClockOptions, type TimerCallback, type TimerHandle } from './clock';
export { type DeliverFn, type DeliveryDetails, type LocalAccount, resolveAccount } from './delivery';
export { AwsServiceError, ClockError, conflictError, LocalRuntimeError, notFoundError, TimerCallbackError, validationError } from './errors';
export { LocalEventBridge, type LocalEventBridgeOptions, type PutEventsEntry, type PutEventsResultEntry, type RuleInput, type RuleTarget } from './event-bus';
export { type EventPattern, matchesEventPattern, parseEventPattern } from './event-pattern';
export { type OperationHandler, type WireRequest, type WireResponse } from './protocol';
export { nextFireTime, type ParsedSchedule, parseScheduleExpression } from './schedule-expression';
export { parseSchedulerRequest, type SchedulerRequest } from './scheduler-adapter';
export { type ListSchedulesInput, LocalScheduler, type LocalSchedulerOptions, type Schedule, type ScheduleInput, type ScheduleSummary, type ScheduleTarget } from './scheduler-service';
export { type RegisteredResource, registerScheduleResource, type ResolvedResource, SCHEDULE_RESOURCE_TYPES, type ScheduleServices } from './template-schedules';
