/**
 * The caller's side of the RequestAggregator construct: single requests in, single answers
 * out, batched underneath on both legs. Submits from one process share SendMessageBatch
 * calls, and every caller waiting in one process is served by shared BatchGetItem polls of
 * the results table: the aggregator applied to its own results.
 */
import { randomUUID } from 'node:crypto';
import { ResultTable, type AggregatorRequestMessage, type AggregatorResultItem } from '../../contract';
import type { DocumentItem } from '../batch-writer';
import { RequestFailedError, RequestTimeoutError } from '../errors';
import { realSleep } from '../retry';
import { RequestAggregator } from './aggregator';
import type { SendMessageRequest } from './batch-write';
import type { LoadBatchFn } from './options';

/** How the client reaches the ingress and the results table, and how it waits. */
export interface AggregatorClientOptions {
  /** Sends request messages to the ingress (e.g. `sqsSendBatch`). */
  readonly sendBatch: LoadBatchFn<SendMessageRequest, void>;
  /** Reads answers from the results table by request id (e.g. `dynamoDbGetBatch`). */
  readonly getBatch: LoadBatchFn<DocumentItem, DocumentItem | undefined>;
  /** Time between two polls of one waiting request, in ms. @default 200 */
  readonly pollIntervalMs?: number;
  /** How long `submitAndWait` waits for an answer, in ms. @default 30000 */
  readonly timeoutMs?: number;
  /** How long a poll waits for other waiters' polls to share its BatchGetItem, in ms. @default 20 */
  readonly pollWindowMs?: number;
  /** Waits `ms` milliseconds. @default - a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Current time, epoch ms. @default Date.now */
  readonly now?: () => number;
}

/** Per-call options of {@link AggregatorClient.submit}. */
export interface SubmitOptions {
  /** The request id, also its idempotency key: a request submitted twice with one id is answered once. @default - a random UUID */
  readonly requestId?: string;
}

/** Sends single requests to a RequestAggregator construct and waits for their answers. */
export class AggregatorClient<Req, Res> {
  private readonly sends: RequestAggregator<SendMessageRequest, void>;
  private readonly polls: RequestAggregator<string, DocumentItem | undefined>;

  constructor(private readonly options: AggregatorClientOptions) {
    this.sends = new RequestAggregator({ loadBatch: options.sendBatch, maxBatchSize: 10 });
    this.polls = new RequestAggregator({
      loadBatch: (ids) => options.getBatch(ids.map((id) => ({ [ResultTable.partitionKey]: id }))),
      maxBatchSize: 100,
      maxWaitMs: options.pollWindowMs ?? 20,
    });
  }

  /** Sends one request; resolves with its id once the ingress accepted it. */
  async submit(request: Req, options: SubmitOptions = {}): Promise<string> {
    const requestId = options.requestId ?? randomUUID();
    const message: AggregatorRequestMessage<Req> = { requestId, request };
    await this.sends.load({ body: JSON.stringify(message) });
    return requestId;
  }

  /** The answer stored for `requestId`, if any yet. */
  async result(requestId: string): Promise<AggregatorResultItem<Res> | undefined> {
    return (await this.polls.load(requestId)) as AggregatorResultItem<Res> | undefined;
  }

  /**
   * Sends one request and resolves with its answer.
   *
   * @throws RequestFailedError when the batch function answered this request with an error
   * @throws RequestTimeoutError when no answer came within `timeoutMs` (the request may still be answered later)
   */
  async submitAndWait(request: Req, options: SubmitOptions = {}): Promise<Res> {
    const now = this.options.now ?? Date.now;
    const sleep = this.options.sleep ?? realSleep;
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const started = now();
    const requestId = await this.submit(request, options);
    for (;;) {
      const item = await this.result(requestId);
      if (item?.status === 'ok') return item.result as Res;
      if (item !== undefined) throw new RequestFailedError(requestId, item.error ?? '', item.errorType ?? 'Error');
      if (now() - started >= timeoutMs) throw new RequestTimeoutError(requestId, now() - started);
      await sleep(this.options.pollIntervalMs ?? 200);
    }
  }
}
