/**
 * The aggregator function's core: one SQS batch of single requests becomes one call of the
 * user's batch function (or ⌈n / maxBatchSize⌉ calls, bounded and rate-limited by the
 * RequestAggregator), and each answer lands where its caller finds it.
 *
 * At least once, answered once: ids already in the results table (redeliveries, duplicate
 * submits) and ids repeated within the batch never reach the backend again. Replies are sent
 * before answers are stored, so a failure in either leaves the request unanswered and its
 * record is retried, never answered without its reply.
 */
import type { AggregatorRequestMessage, AggregatorResultItem } from '../../contract';
import { BatchFunctionError, BatchResultCountError, PoisonRecordError } from '../errors';
import type { BatchItemOutcome } from '../work-queue/item-runner';
import type { Envelope } from '../work-queue/sqs-records';
import type { RequestAggregator } from './aggregator';

/** Where answers are stored: the results table. */
export interface ResultStore<Res> {
  /** The ids among `ids` that already have an answer. */
  answered(ids: readonly string[]): Promise<ReadonlySet<string>>;
  /** Stores answers (a put per request id: storing one twice is harmless). */
  put(items: readonly AggregatorResultItem<Res>[]): Promise<void>;
}

/** Where answers are also sent, when the construct has a reply queue. */
export interface ReplySink<Res> {
  /** Sends one reply message per answer. */
  send(items: readonly AggregatorResultItem<Res>[]): Promise<void>;
}

/** What {@link serveRequests} needs. */
export interface ServeDeps<Req, Res> {
  /** The aggregator over the user's batch function, keyed by request id. */
  readonly aggregator: RequestAggregator<AggregatorRequestMessage<Req>, Res>;
  /** The results table. */
  readonly store: ResultStore<Res>;
  /** The reply queue. @default - no replies */
  readonly replies?: ReplySink<Res>;
  /** How long answers are kept, in seconds. */
  readonly ttlSeconds: number;
  /** Current time, epoch ms. */
  readonly now: () => number;
}

/** What one batch did. */
export interface ServeReport {
  /** One outcome per record, by message id. */
  readonly outcomes: BatchItemOutcome<void>[];
  /** Requests answered now. */
  readonly answered: number;
  /** Records not sent to the backend: already answered, or an id repeated in the batch. */
  readonly duplicates: number;
}

/** Serves one batch of parsed request messages. */
export async function serveRequests<Req, Res>(envelopes: readonly Envelope<AggregatorRequestMessage<Req>>[], deps: ServeDeps<Req, Res>): Promise<ServeReport> {
  const firsts = new Map<string, AggregatorRequestMessage<Req>>();
  for (const { item } of envelopes) if (!firsts.has(item.requestId)) firsts.set(item.requestId, item);
  const done = await deps.store.answered([...firsts.keys()]);
  const fresh = [...firsts.values()].filter((message) => !done.has(message.requestId));
  const results = await deps.aggregator.loadMany(fresh);
  const failures = new Map<string, unknown>();
  const items: AggregatorResultItem<Res>[] = [];
  fresh.forEach((message, index) => {
    const result = results[index];
    if (result instanceof BatchFunctionError || result instanceof BatchResultCountError) failures.set(message.requestId, result);
    else items.push(toItem(message.requestId, result as Res | Error, deps));
  });
  try {
    if (items.length > 0) await deps.replies?.send(items);
    if (items.length > 0) await deps.store.put(items);
  } catch (error) {
    for (const item of items) failures.set(item.requestId, error);
    items.length = 0;
  }
  const outcomes = envelopes.map(({ messageId, item }): BatchItemOutcome<void> => {
    const error = failures.get(item.requestId);
    return error === undefined ? { messageId, result: undefined } : { messageId, error };
  });
  return { outcomes, answered: items.length, duplicates: envelopes.length - fresh.length };
}

function toItem<Res>(requestId: string, result: Res | Error, deps: Pick<ServeDeps<unknown, Res>, 'now' | 'ttlSeconds'>): AggregatorResultItem<Res> {
  const answeredAt = deps.now();
  const expiresAt = Math.ceil(answeredAt / 1_000) + deps.ttlSeconds;
  if (result instanceof Error) return { requestId, status: 'error', error: result.message, errorType: result.name, answeredAt, expiresAt };
  return { requestId, status: 'ok', result, answeredAt, expiresAt };
}

const MAX_REQUEST_ID_LENGTH = 255;

/**
 * Checks a request message's shape: an object with a `requestId` of 1–255 characters and a
 * `request`, which `parse` may check further. Throws PoisonRecordError (to the DLQ, with the
 * reason) on anything else.
 */
export function parseRequestMessage<Req>(body: unknown, parse?: (request: unknown) => Req): AggregatorRequestMessage<Req> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new PoisonRecordError('request message must be a JSON object { requestId, request }');
  const { requestId, request } = body as Record<string, unknown>;
  if (typeof requestId !== 'string' || requestId.length < 1 || requestId.length > MAX_REQUEST_ID_LENGTH) {
    throw new PoisonRecordError(`requestId must be a string of 1–${MAX_REQUEST_ID_LENGTH} characters, got ${JSON.stringify(requestId) ?? 'undefined'}`);
  }
  if (!('request' in (body as object))) throw new PoisonRecordError(`request ${JSON.stringify(requestId)} has no "request" field`);
  if (parse === undefined) return { requestId, request: request as Req };
  try {
    return { requestId, request: parse(request) };
  } catch (error) {
    throw new PoisonRecordError(`request ${JSON.stringify(requestId)} rejected by parse: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
