/**
 * Builds the Sparse Task collaborators a handler needs, from the overrides it was given or,
 * for whatever was not given, from the environment the construct sets (DynamoDB task table,
 * EventBridge Scheduler group, finished-event queue or bus). Built once per process.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { EnvSource } from '../lib/env-reader';
import { observability } from '../lib/observability';
import { readFinishedTarget, readScheduleGroup, readScheduleSettings, readTableSettings } from '../lib/sparse-task/env';
import { systemClock, type Clock, type EventSink, type TaskStore, type TimeoutScheduler } from '../lib/sparse-task/types';
import { EventBridgeTaskEventSink, SqsTaskEventSink } from '../lib/aws/task-event-sink';
import { DynamoTaskStore } from '../lib/aws/task-store';
import { EventBridgeTimeoutScheduler } from '../lib/aws/timeout-scheduler';

/** Overrides every Sparse Task handler factory accepts (tests, custom transports). */
export interface SparseTaskRuntimeOptions {
  /** The task records. @default - a DynamoTaskStore on the table named by the environment */
  readonly store?: TaskStore;
  /** The timeout schedules. @default - EventBridge Scheduler, settings from the environment */
  readonly scheduler?: TimeoutScheduler;
  /** Where finished events go. @default - the queue or bus named by the environment */
  readonly sink?: EventSink;
  /** The time source. @default - the system clock */
  readonly clock?: Clock;
  /** Powertools logger. @default - a Logger named from env POWERTOOLS_SERVICE_NAME */
  readonly logger?: Logger;
  /** Powertools metrics. @default - namespace from env POWERTOOLS_METRICS_NAMESPACE, else `PpPatterns` */
  readonly metrics?: Metrics;
  /** Environment to read settings from. @default process.env */
  readonly env?: EnvSource;
}

/** The keys of {@link SparseTaskRuntimeOptions}, for strict option checks. */
export const RUNTIME_OPTION_KEYS = ['store', 'scheduler', 'sink', 'clock', 'logger', 'metrics', 'env'] as const;

/** The environment of `options`. */
export function envOf(options: SparseTaskRuntimeOptions): EnvSource {
  return options.env ?? process.env;
}

/** The store, built from the environment unless given. @throws ConfigError */
export function storeOf(options: SparseTaskRuntimeOptions): TaskStore {
  return options.store ?? new DynamoTaskStore(readTableSettings(envOf(options)));
}

/** A scheduler that can only cancel (completion handler, monitor). @throws ConfigError */
export function cancellingSchedulerOf(options: SparseTaskRuntimeOptions): TimeoutScheduler {
  if (options.scheduler) return options.scheduler;
  // Cancelling needs only the group: the target settings are never read by DeleteSchedule.
  return new EventBridgeTimeoutScheduler({ groupName: readScheduleGroup(envOf(options)), targetArn: '', roleArn: '' });
}

/** A scheduler that arms schedules (submitter). @throws ConfigError */
export function armingSchedulerOf(options: SparseTaskRuntimeOptions): TimeoutScheduler {
  if (options.scheduler) return options.scheduler;
  const settings = readScheduleSettings(envOf(options));
  return new EventBridgeTimeoutScheduler({
    groupName: settings.groupName, targetArn: settings.monitorArn, roleArn: settings.roleArn,
    deadLetterArn: settings.deadLetterArn, maximumRetryAttempts: settings.maximumRetryAttempts,
  });
}

/** The finished-event sink. @throws ConfigError */
export function sinkOf(options: SparseTaskRuntimeOptions): EventSink {
  if (options.sink) return options.sink;
  const target = readFinishedTarget(envOf(options));
  return target.kind === 'queue' ? new SqsTaskEventSink(target.queueUrl) : new EventBridgeTaskEventSink(target.busName);
}

/** Logger, metrics and clock, defaulted the way every pp-patterns handler defaults them. */
export function telemetryOf(options: SparseTaskRuntimeOptions): { logger: Logger; metrics: Metrics; clock: Clock } {
  return { ...observability(options, envOf(options)), clock: options.clock ?? systemClock };
}
