/**
 * Deterministic names derived from a task id, and the task id rules.
 *
 * The schedule name is a hash of the task id, so every piece (submitter, completion handler,
 * a retried submission) arrives at the same name without a lookup, and re-arming or cancelling
 * a task's timeout is idempotent by name.
 */
import { createHash } from 'node:crypto';
import type { TerminalStatus } from './types';
import { wellFormedViolation } from '../validate';

/**
 * Longest task id, correlation id or completion event id accepted, in characters: each is
 * stored on the record (an event id as a key of `losers`), so each must stay well under
 * DynamoDB's 2,048-byte partition key and let the finished event fit one PutEvents entry.
 */
export const MAX_TASK_ID_LENGTH = 512;

/** Prefix of every timeout schedule name. */
export const SCHEDULE_NAME_PREFIX = 'sparse-task-';

/** The `finishedBy` id the timeout monitor writes when its timeout wins. */
export const MONITOR_EVENT_ID = 'timeout-monitor';

/** The `finishedBy` id the submitter writes when `start` fails. */
export const SUBMITTER_EVENT_ID = 'submitter';

/**
 * The timeout schedule name of a task: `sparse-task-` and 48 hex characters of SHA-256 of the
 * task id (60 characters, inside EventBridge Scheduler's 1–64 of `[0-9a-zA-Z-_.]`).
 */
export function scheduleNameFor(taskId: string): string {
  return SCHEDULE_NAME_PREFIX + createHash('sha256').update(taskId, 'utf8').digest('hex').slice(0, 48);
}

/** The id of the finished event of a task: the same for every re-emission, for downstream dedup. */
export function finishedEventId(taskId: string, status: TerminalStatus): string {
  return `${taskId}:${status}`;
}

/** A violation line when `taskId` is not a usable task id, else undefined. */
export function taskIdViolation(taskId: unknown): string | undefined {
  return idViolation('taskId', taskId);
}

/** A violation line when `value`, named `name`, is not a non-empty string of at most {@link MAX_TASK_ID_LENGTH} characters. */
export function idViolation(name: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return `${name} must be a non-empty string, got ${JSON.stringify(value) ?? String(value)}`;
  if (value.length > MAX_TASK_ID_LENGTH) return `${name} must be at most ${MAX_TASK_ID_LENGTH} characters, got ${value.length}`;
  return wellFormedViolation(name, value);
}
