/**
 * The Sparse Task functions' settings, read strictly from the environment the construct sets
 * (names in the contract's `SparseTaskEnv`) with the shared {@link EnvReader}. Each function
 * asks only for what it uses; every missing or bad variable is named in one ConfigError at cold
 * start, with the value quoted.
 */
import { SparseTaskEnv } from '../../contract';
import { EnvReader, type EnvSource } from '../env-reader';
import { quote } from '../validate';
import { MAX_TASK_TIMEOUT_MS, MIN_TASK_TIMEOUT_MS } from './timeouts';

/** Where finished events go. */
export type FinishedTarget = { readonly kind: 'queue'; readonly queueUrl: string } | { readonly kind: 'bus'; readonly busName: string };

/** The settings of the task table. */
export interface TaskTableSettings {
  /** The table's name. */
  readonly tableName: string;
  /** Write shards of its pending index (1–100). */
  readonly shards: number;
  /** Seconds a finished record is kept before TTL deletes it. */
  readonly retentionSeconds: number;
}

/** The settings of the timeout schedules (the submitter's). */
export interface ScheduleSettings {
  /** The schedule group. */
  readonly groupName: string;
  /** ARN of the timeout monitor, the schedules' target. */
  readonly monitorArn: string;
  /** ARN of the role the scheduler assumes. */
  readonly roleArn: string;
  /** ARN of the schedules' dead-letter queue. @default - none */
  readonly deadLetterArn?: string;
  /** Retries of a schedule's invocation (0–185). */
  readonly maximumRetryAttempts: number;
}

/** EventBridge Scheduler's retry policy range, and its default. */
const MAX_SCHEDULER_RETRIES = 185;

/** Reads the task table settings. @throws ConfigError naming every problem */
export function readTableSettings(env: EnvSource): TaskTableSettings {
  const reader = new EnvReader(env);
  const settings = {
    tableName: reader.text(SparseTaskEnv.taskTableName),
    shards: reader.integer(SparseTaskEnv.pendingShards, 1, 100),
    retentionSeconds: reader.integer(SparseTaskEnv.retentionSeconds, 60, 10 * 365 * 86_400),
  };
  reader.check();
  return settings;
}

/** Reads the schedule group name alone (what cancelling needs). @throws ConfigError */
export function readScheduleGroup(env: EnvSource): string {
  const reader = new EnvReader(env);
  const groupName = reader.text(SparseTaskEnv.scheduleGroupName);
  reader.check();
  return groupName;
}

/** Reads everything arming a timeout schedule needs. @throws ConfigError naming every problem */
export function readScheduleSettings(env: EnvSource): ScheduleSettings {
  const reader = new EnvReader(env);
  const groupName = reader.text(SparseTaskEnv.scheduleGroupName);
  const monitorArn = reader.text(SparseTaskEnv.monitorFunctionArn);
  const roleArn = reader.text(SparseTaskEnv.schedulerRoleArn);
  const deadLetterArn = reader.optionalText(SparseTaskEnv.monitorDeadLetterQueueArn);
  // Absent means the service's own maximum, as the construct's default.
  const maximumRetryAttempts = reader.optionalText(SparseTaskEnv.schedulerRetryAttempts) === undefined
    ? MAX_SCHEDULER_RETRIES
    : reader.integer(SparseTaskEnv.schedulerRetryAttempts, 0, MAX_SCHEDULER_RETRIES);
  const settings: ScheduleSettings = { groupName, monitorArn, roleArn, ...(deadLetterArn === undefined ? {} : { deadLetterArn }), maximumRetryAttempts };
  reader.check();
  return settings;
}

/** Reads the default task timeout alone, in ms. @throws ConfigError */
export function readDefaultTimeoutMs(env: EnvSource): number {
  const reader = new EnvReader(env);
  const seconds = reader.integer(SparseTaskEnv.defaultTimeoutSeconds, MIN_TASK_TIMEOUT_MS / 1000, MAX_TASK_TIMEOUT_MS / 1000);
  reader.check();
  return seconds * 1000;
}

/** Reads where finished events go: exactly one of the queue URL and the bus name. @throws ConfigError */
export function readFinishedTarget(env: EnvSource): FinishedTarget {
  const reader = new EnvReader(env);
  const queueUrl = reader.optionalText(SparseTaskEnv.finishedQueueUrl);
  const busName = reader.optionalText(SparseTaskEnv.finishedBusName);
  reader.require((queueUrl === undefined) !== (busName === undefined),
    `exactly one of ${SparseTaskEnv.finishedQueueUrl} and ${SparseTaskEnv.finishedBusName} must be set, got ${quote(queueUrl)} and ${quote(busName)}`);
  reader.check();
  return queueUrl !== undefined ? { kind: 'queue', queueUrl } : { kind: 'bus', busName: busName as string };
}
