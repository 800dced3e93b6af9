/**
 * The Sparse Task functions' settings, read strictly from the environment the construct sets
 * (names in the contract's `SparseTaskEnv`). Each function asks only for what it uses; every
 * missing or bad variable is named in one ConfigError at cold start, with the value quoted.
 */
import { SparseTaskEnv } from '../../contract';
import { ConfigError } from '../errors';
import { collect, intRangeViolation, quote } from '../validate';
import { MAX_TASK_TIMEOUT_MS, MIN_TASK_TIMEOUT_MS } from './timeouts';

/** Where finished events go. */
export type FinishedTarget = { readonly kind: 'queue'; readonly queueUrl: string } | { readonly kind: 'bus'; readonly busName: string };

/** The settings of the task table. */
export interface TaskTableSettings {
  readonly tableName: string;
  readonly shards: number;
  readonly retentionSeconds: number;
}

/** The settings of the timeout schedules (the submitter's). */
export interface ScheduleSettings {
  readonly groupName: string;
  readonly monitorArn: string;
  readonly roleArn: string;
  readonly deadLetterArn?: string;
  readonly maximumRetryAttempts: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the task table settings. @throws ConfigError naming every problem */
export function readTableSettings(env: Env): TaskTableSettings {
  const tableName = env[SparseTaskEnv.taskTableName];
  const shards = numeric(env[SparseTaskEnv.pendingShards]);
  const retention = numeric(env[SparseTaskEnv.retentionSeconds]);
  throwIfAny(
    required(SparseTaskEnv.taskTableName, tableName),
    intRangeViolation(SparseTaskEnv.pendingShards, shards, 1, 100),
    intRangeViolation(SparseTaskEnv.retentionSeconds, retention, 60, 10 * 365 * 86_400),
  );
  return { tableName: tableName as string, shards: shards as number, retentionSeconds: retention as number };
}

/** Reads the schedule group name alone (what cancelling needs). @throws ConfigError */
export function readScheduleGroup(env: Env): string {
  const groupName = env[SparseTaskEnv.scheduleGroupName];
  throwIfAny(required(SparseTaskEnv.scheduleGroupName, groupName));
  return groupName as string;
}

/** Reads everything arming a timeout schedule needs. @throws ConfigError naming every problem */
export function readScheduleSettings(env: Env): ScheduleSettings {
  const names = [SparseTaskEnv.scheduleGroupName, SparseTaskEnv.monitorFunctionArn, SparseTaskEnv.schedulerRoleArn] as const;
  const retries = numeric(env[SparseTaskEnv.schedulerRetryAttempts] ?? '185');
  throwIfAny(...names.map((name) => required(name, env[name])), intRangeViolation(SparseTaskEnv.schedulerRetryAttempts, retries, 0, 185));
  const deadLetterArn = env[SparseTaskEnv.monitorDeadLetterQueueArn] || undefined;
  return {
    groupName: env[SparseTaskEnv.scheduleGroupName] as string,
    monitorArn: env[SparseTaskEnv.monitorFunctionArn] as string,
    roleArn: env[SparseTaskEnv.schedulerRoleArn] as string,
    ...(deadLetterArn === undefined ? {} : { deadLetterArn }),
    maximumRetryAttempts: retries as number,
  };
}

/** Reads the default task timeout alone, in ms. @throws ConfigError */
export function readDefaultTimeoutMs(env: Env): number {
  const timeoutSeconds = numeric(env[SparseTaskEnv.defaultTimeoutSeconds]);
  throwIfAny(intRangeViolation(SparseTaskEnv.defaultTimeoutSeconds, timeoutSeconds, MIN_TASK_TIMEOUT_MS / 1000, MAX_TASK_TIMEOUT_MS / 1000));
  return (timeoutSeconds as number) * 1000;
}

/** Reads where finished events go: exactly one of the queue URL and the bus name. @throws ConfigError */
export function readFinishedTarget(env: Env): FinishedTarget {
  const queueUrl = env[SparseTaskEnv.finishedQueueUrl] || undefined;
  const busName = env[SparseTaskEnv.finishedBusName] || undefined;
  if ((queueUrl === undefined) === (busName === undefined)) {
    throw new ConfigError([`exactly one of ${SparseTaskEnv.finishedQueueUrl} and ${SparseTaskEnv.finishedBusName} must be set, got ${quote(queueUrl)} and ${quote(busName)}`]);
  }
  return queueUrl !== undefined ? { kind: 'queue', queueUrl } : { kind: 'bus', busName: busName as string };
}

/** Digits become a number; anything else stays text so the range check quotes it. */
function numeric(raw: string | undefined): number | string | undefined {
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : raw;
}

function required(name: string, value: string | undefined): string | undefined {
  return value ? undefined : `${name} must be set, got ${quote(value)}`;
}

function throwIfAny(...violations: Array<string | undefined>): void {
  const found = collect(...violations);
  if (found.length > 0) throw new ConfigError(found);
}
