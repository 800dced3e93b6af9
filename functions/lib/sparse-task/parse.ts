/**
 * Strict parsing of the messages the Sparse Task handlers receive. A message that can never be
 * applied (bad JSON, wrong shape, unknown keys) is a PoisonRecordError quoting the problem, so it
 * goes to the dead-letter queue with its reason instead of being retried forever.
 */
import { PoisonRecordError } from '../errors';
import type { TaskCompletionEvent } from './completion';
import { idViolation, taskIdViolation } from './names';
import type { TaskSubmission } from './submitter';
import { MAX_TASK_TIMEOUT_MS, MIN_TASK_TIMEOUT_MS, timeoutViolation } from './timeouts';
import type { TimeoutPayload } from './types';

type Json = Record<string, unknown>;

/**
 * Largest `result` and `error` a completion may carry together, as JSON bytes. Both are stored
 * on the task record (one ≤ 400 KB item) and travel in the finished event, which must fit one
 * PutEvents entry (256 KiB with its source, detail-type and bus name): 16 KiB are left for those
 * and the event's other fields, whose ids are capped at 512 characters each.
 */
export const MAX_RESULT_BYTES = 240 * 1024;

const SUBMISSION_KEYS = ['taskId', 'input', 'timeoutSeconds', 'correlationId'];
const COMPLETION_KEYS = ['taskId', 'status', 'result', 'error', 'eventId', 'correlationId'];

/**
 * Parses a submission message: `{ taskId, input?, timeoutSeconds?, correlationId? }`.
 *
 * @throws PoisonRecordError naming every problem
 */
export function parseSubmission(body: string): TaskSubmission {
  const json = parseObject(body, 'submission');
  const problems = [...unknownKeys(json, SUBMISSION_KEYS), taskIdViolation(json.taskId), optionalId(json, 'correlationId')];
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
 * eventId?, correlationId? }`, or a RollingPoller completion event (see
 * {@link fromPollerCompletion}), bare or as the `detail` of an EventBridge event.
 *
 * @param body the message body
 * @param deliveryId the id to dedupe by when the message names no `eventId` (the SQS message
 *   id; an EventBridge envelope's own `id` takes precedence over it)
 * @throws PoisonRecordError naming every problem
 */
export function parseCompletion(body: string, deliveryId: string): TaskCompletionEvent {
  const outer = parseObject(body, 'completion');
  const enveloped = typeof outer['detail-type'] === 'string' && typeof outer.detail === 'object' && outer.detail !== null;
  const json = enveloped ? (outer.detail as Json) : outer;
  if (isPollerCompletion(json)) return checkedPayload(fromPollerCompletion(json), 'RollingPoller completion');
  const fallbackId = enveloped && typeof outer.id === 'string' ? outer.id : deliveryId;
  const problems = [...unknownKeys(json, COMPLETION_KEYS), taskIdViolation(json.taskId), optionalId(json, 'eventId'), optionalId(json, 'correlationId')];
  if (json.status !== 'SUCCEEDED' && json.status !== 'FAILED') problems.push(`status must be "SUCCEEDED" or "FAILED", got ${JSON.stringify(json.status)}`);
  const error = json.error as Json | undefined;
  if (error !== undefined && !(typeof error === 'object' && error !== null && typeof error.code === 'string' && typeof error.message === 'string')) {
    problems.push(`error must be { code: string, message: string }, got ${JSON.stringify(error)}`);
  }
  problems.push(payloadViolation(json.result, error));
  throwIfAny('completion', problems);
  return {
    taskId: json.taskId as string,
    status: json.status as TaskCompletionEvent['status'],
    eventId: (json.eventId as string | undefined) ?? fallbackId,
    ...(json.result === undefined ? {} : { result: json.result }),
    ...(error === undefined ? {} : { error: { code: error.code as string, message: error.message as string } }),
    ...(json.correlationId === undefined ? {} : { correlationId: json.correlationId as string }),
  };
}

/** A violation line when `result` and `error` together exceed {@link MAX_RESULT_BYTES} as JSON, else undefined. */
function payloadViolation(result: unknown, error: unknown): string | undefined {
  const bytes = (value: unknown) => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value), 'utf8'));
  const total = bytes(result) + bytes(error);
  if (total <= MAX_RESULT_BYTES) return undefined;
  return `result and error must be at most ${MAX_RESULT_BYTES} bytes as JSON together (the task record is one DynamoDB item and the finished event one PutEvents entry), got ${total}: store the result elsewhere and report a reference`;
}

/** The completion, unless its result and error are too large to store and emit. */
function checkedPayload(event: TaskCompletionEvent, what: string): TaskCompletionEvent {
  throwIfAny(what, [payloadViolation(event.result, event.error)]);
  return event;
}

/** The prefix of the event id of a completion reported by a RollingPoller: one per task. */
export const POLLER_EVENT_ID_PREFIX = 'rolling-poller:';

/**
 * True for a RollingPoller completion event (`{ id, outcome: 'done' | 'gave-up', status?, … }`):
 * the batch-poller notifier of tasks whose external system cannot call back.
 */
function isPollerCompletion(json: Json): boolean {
  return typeof json.id === 'string' && (json.outcome === 'done' || json.outcome === 'gave-up') && typeof json.polls === 'number' && json.taskId === undefined;
}

/**
 * A RollingPoller completion as a task completion: the watched item's id is the task id;
 * `done` is SUCCEEDED unless the status function reported the status `FAILED`; `gave-up` (the
 * status checks kept failing) is FAILED. The event id is fixed per task, so a re-emission by the
 * poller replays instead of counting as a second report.
 */
function fromPollerCompletion(json: Json): TaskCompletionEvent {
  throwIfAny('RollingPoller completion', [idViolation('id', json.id)]);
  const taskId = json.id as string;
  const eventId = POLLER_EVENT_ID_PREFIX + taskId;
  if (json.outcome === 'gave-up') return { taskId, status: 'FAILED', eventId, error: { code: 'PollerGaveUp', message: String(json.error ?? 'status checks kept failing') } };
  if (json.status === 'FAILED') return { taskId, status: 'FAILED', eventId, error: { code: 'FAILED', message: json.result === undefined ? 'reported FAILED' : JSON.stringify(json.result) } };
  return { taskId, status: 'SUCCEEDED', eventId, ...(json.result === undefined ? {} : { result: json.result }) };
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

/** A violation line when `json[key]` is present but not a usable id (non-empty, capped length). */
function optionalId(json: Json, key: string): string | undefined {
  return json[key] === undefined ? undefined : idViolation(key, json[key]);
}

function throwIfAny(what: string, problems: ReadonlyArray<string | undefined>): void {
  const found = problems.filter((problem): problem is string => problem !== undefined);
  if (found.length > 0) throw new PoisonRecordError(`invalid ${what}: ${found.join('; ')}`);
}
