/**
 * Strict parsing of the messages the Sparse Task handlers receive. A message that can never be
 * applied (bad JSON, wrong shape, unknown keys) is a PoisonRecordError quoting the problem, so it
 * goes to the dead-letter queue with its reason instead of being retried forever.
 */
import { PoisonRecordError } from '../errors';
import type { CompletionEvent } from './completion';
import { taskIdViolation } from './names';
import type { TaskSubmission } from './submitter';
import { MAX_TASK_TIMEOUT_MS, MIN_TASK_TIMEOUT_MS, timeoutViolation } from './timeouts';
import type { TimeoutPayload } from './types';

type Json = Record<string, unknown>;

const SUBMISSION_KEYS = ['taskId', 'input', 'timeoutSeconds', 'correlationId'];
const COMPLETION_KEYS = ['taskId', 'status', 'result', 'error', 'eventId', 'correlationId'];

/**
 * Parses a submission message: `{ taskId, input?, timeoutSeconds?, correlationId? }`.
 *
 * @throws PoisonRecordError naming every problem
 */
export function parseSubmission(body: string): TaskSubmission {
  const json = parseObject(body, 'submission');
  const problems = [...unknownKeys(json, SUBMISSION_KEYS), taskIdViolation(json.taskId), optionalString(json, 'correlationId')];
  const timeout = json.timeoutSeconds;
  if (timeout !== undefined && !(typeof timeout === 'number' && Number.isInteger(timeout) && timeoutViolation('', timeout * 1000) === undefined)) {
    problems.push(`timeoutSeconds must be an integer from ${MIN_TASK_TIMEOUT_MS / 1000} to ${MAX_TASK_TIMEOUT_MS / 1000}, got ${JSON.stringify(timeout)}`);
  }
  throwIfAny('submission', problems);
  return {
    taskId: json.taskId as string,
    ...(json.input === undefined ? {} : { input: json.input }),
    ...(timeout === undefined ? {} : { timeoutMs: (timeout as number) * 1000 }),
    ...(json.correlationId === undefined ? {} : { correlationId: json.correlationId as string }),
  };
}

/**
 * Parses a completion message: `{ taskId, status: 'SUCCEEDED' | 'FAILED', result?, error?,
 * eventId?, correlationId? }`, bare or as the `detail` of an EventBridge event.
 *
 * @param body the message body
 * @param deliveryId the id to dedupe by when the message names no `eventId` (the SQS message
 *   id; an EventBridge envelope's own `id` takes precedence over it)
 * @throws PoisonRecordError naming every problem
 */
export function parseCompletion(body: string, deliveryId: string): CompletionEvent {
  const outer = parseObject(body, 'completion');
  const enveloped = typeof outer['detail-type'] === 'string' && typeof outer.detail === 'object' && outer.detail !== null;
  const json = enveloped ? (outer.detail as Json) : outer;
  const fallbackId = enveloped && typeof outer.id === 'string' ? outer.id : deliveryId;
  const problems = [...unknownKeys(json, COMPLETION_KEYS), taskIdViolation(json.taskId), optionalString(json, 'eventId'), optionalString(json, 'correlationId')];
  if (json.status !== 'SUCCEEDED' && json.status !== 'FAILED') problems.push(`status must be "SUCCEEDED" or "FAILED", got ${JSON.stringify(json.status)}`);
  const error = json.error as Json | undefined;
  if (error !== undefined && !(typeof error === 'object' && error !== null && typeof error.code === 'string' && typeof error.message === 'string')) {
    problems.push(`error must be { code: string, message: string }, got ${JSON.stringify(error)}`);
  }
  throwIfAny('completion', problems);
  return {
    taskId: json.taskId as string,
    status: json.status as CompletionEvent['status'],
    eventId: (json.eventId as string | undefined) ?? fallbackId,
    ...(json.result === undefined ? {} : { result: json.result }),
    ...(error === undefined ? {} : { error: { code: error.code as string, message: error.message as string } }),
    ...(json.correlationId === undefined ? {} : { correlationId: json.correlationId as string }),
  };
}

/**
 * Parses what a timeout schedule delivers: `{ taskId }`.
 *
 * @throws PoisonRecordError naming the problem
 */
export function parseTimeoutPayload(input: unknown): TimeoutPayload {
  const json = typeof input === 'string' ? parseObject(input, 'timeout payload') : input;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new PoisonRecordError(`timeout payload must be a JSON object, got ${JSON.stringify(json)}`);
  const problems = [...unknownKeys(json as Json, ['taskId']), taskIdViolation((json as Json).taskId)];
  throwIfAny('timeout payload', problems);
  return { taskId: (json as Json).taskId as string };
}

function parseObject(body: string, what: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new PoisonRecordError(`${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PoisonRecordError(`${what} must be a JSON object, got ${body.slice(0, 100)}`);
  return value as Json;
}

function unknownKeys(json: Json, known: readonly string[]): string[] {
  return Object.keys(json)
    .filter((key) => !known.includes(key))
    .map((key) => `unknown key ${JSON.stringify(key)} (known: ${known.join(', ')})`);
}

function optionalString(json: Json, key: string): string | undefined {
  const value = json[key];
  if (value === undefined || (typeof value === 'string' && value.length > 0)) return undefined;
  return `${key} must be a non-empty string, got ${JSON.stringify(value)}`;
}

function throwIfAny(what: string, problems: ReadonlyArray<string | undefined>): void {
  const found = problems.filter((problem): problem is string => problem !== undefined);
  if (found.length > 0) throw new PoisonRecordError(`invalid ${what}: ${found.join('; ')}`);
}
