/**
 * The options of the work-queue handler factory, parsed strictly once per process.
 *
 * Unknown keys and bad values (options or environment) fail at cold start with one
 * ConfigError naming every problem and quoting the value, rather than at the first record.
 */
import type { Context, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { Env } from '../../contract';
import type { EnvSource } from '../env-reader';
import { ConfigError } from '../errors';
import type { BatchItemOutcome } from './item-runner';
import { SqsLimits } from '../limits';
import { observability } from '../observability';
import { QueuePublisher } from '../publisher';
import type { QueueSendPort } from '../queue-port';
import type { Envelope } from './sqs-records';
import { collect, intRangeViolation, quote, unknownKeyViolations } from '../validate';

/** What `processItem` gets besides the item. */
export interface ItemContext {
  /** The SQS message id. */
  readonly messageId: string;
  /** How many times SQS has delivered this message (1 on first delivery). */
  readonly receiveCount: number;
  /** FIFO message group id. @default - none (standard queue) */
  readonly groupId?: string;
  /** The record's system attributes (SentTimestamp, MessageGroupId, …). */
  readonly attributes: SQSRecordAttributes;
  /** The record's message attributes. */
  readonly messageAttributes: SQSMessageAttributes;
  /** The raw record. */
  readonly record: SQSRecord;
  /** A logger whose every line carries this record's `messageId`. */
  readonly logger: Logger;
  /** The Lambda invocation context. */
  readonly lambdaContext: Context;
}

/** What `processBatch` gets besides the items. */
export interface BatchContext {
  /** The handler's logger. */
  readonly logger: Logger;
  /** The Lambda invocation context. */
  readonly lambdaContext: Context;
}

/** Options of the work-queue handler factory. Give exactly one of `processItem` and `processBatch`. */
export interface WorkQueueOptions<T, R> {
  /** Checks and converts a record's body; throwing makes the record poison (sent to the DLQ). @default - the JSON body as is */
  readonly parse?: (body: unknown, record: SQSRecord) => T;
  /** `json`: JSON.parse the body before `parse`; `text`: pass the raw body. @default 'json' */
  readonly bodyFormat?: 'json' | 'text';
  /** Processes one item; throwing fails that record only (PoisonRecordError sends it to the DLQ). */
  readonly processItem?: (item: T, context: ItemContext) => Promise<R>;
  /** Processes the whole batch at once and returns one outcome per record, by message id. */
  readonly processBatch?: (items: readonly Envelope<T>[], context: BatchContext) => Promise<readonly BatchItemOutcome<R>[]>;
  /** Items (FIFO: message groups) processed at once; 1–1000. @default - env PP_ITEM_CONCURRENCY, else 10 */
  readonly itemConcurrency?: number;
  /** Largest record accepted, body plus attributes in bytes; 1–1048576. @default 1048576 */
  readonly maxRecordBytes?: number;
  /** Where poison records go. @default - env PP_DLQ_URL; none: poison records fail and the queue's redrive moves them */
  readonly deadLetterQueueUrl?: string;
  /** Publisher for poison records (tests, custom transports). @default - a QueuePublisher to `deadLetterQueueUrl` */
  readonly deadLetterPublisher?: QueuePublisher;
  /** Powertools logger. @default - a Logger named from env POWERTOOLS_SERVICE_NAME */
  readonly logger?: Logger;
  /** Powertools metrics. @default - namespace from env POWERTOOLS_METRICS_NAMESPACE, else `PpPatterns` */
  readonly metrics?: Metrics;
  /** Monotonic clock in ms, for item durations. @default performance.now */
  readonly now?: () => number;
  /** Environment to read settings from. @default process.env */
  readonly env?: EnvSource;
}

/** How the factory reaches AWS: supplied by the adapter layer (`functions/lib/aws`), or by tests. */
export interface WorkQueueWiring {
  /** A send port for the queue at `queueUrl`. */
  readonly sendPortFor: (queueUrl: string) => QueueSendPort;
}

/** Options after defaults and validation. */
export interface WorkQueueConfig<T, R> {
  readonly parse: Pick<WorkQueueOptions<T, R>, 'parse' | 'bodyFormat' | 'maxRecordBytes'>;
  readonly processItem?: WorkQueueOptions<T, R>['processItem'];
  readonly processBatch?: WorkQueueOptions<T, R>['processBatch'];
  readonly itemConcurrency: number;
  /** Absent when no DLQ is configured. */
  readonly deadLetter?: { readonly publisher: QueuePublisher; readonly fifo: boolean };
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly now: () => number;
}

const KNOWN_OPTIONS = [
  'parse', 'bodyFormat', 'processItem', 'processBatch', 'itemConcurrency', 'maxRecordBytes',
  'deadLetterQueueUrl', 'deadLetterPublisher', 'logger', 'metrics', 'now', 'env',
] as const;

/** Default number of items processed at once. */
export const DEFAULT_ITEM_CONCURRENCY = 10;

/**
 * Validates `options` and the environment, applies defaults, and builds the clients.
 *
 * @throws ConfigError naming every bad option and env var, quoting each value
 */
export function resolveWorkQueueConfig<T, R>(options: WorkQueueOptions<T, R>, wiring: WorkQueueWiring): WorkQueueConfig<T, R> {
  const env = options.env ?? process.env;
  const concurrency = setting('itemConcurrency', options.itemConcurrency, Env.itemConcurrency, env, true);
  const deadLetterUrl = setting('deadLetterQueueUrl', options.deadLetterQueueUrl, Env.deadLetterQueueUrl, env, false);
  const deadLetterQueueUrl = deadLetterUrl.value === undefined ? undefined : String(deadLetterUrl.value);
  const violations = collect(
    unknownKeyViolations('workQueue', options, KNOWN_OPTIONS),
    handlerViolation(options),
    options.parse === undefined || typeof options.parse === 'function' ? undefined : `parse must be a function, got ${quote(options.parse)}`,
    [undefined, 'json', 'text'].includes(options.bodyFormat) ? undefined : `bodyFormat must be "json" or "text", got ${quote(options.bodyFormat)}`,
    concurrency.value === undefined ? undefined : intRangeViolation(concurrency.name, concurrency.value, 1, 1_000),
    options.maxRecordBytes === undefined ? undefined : intRangeViolation('maxRecordBytes', options.maxRecordBytes, 1, SqsLimits.maxMessageBytes),
    deadLetterQueueUrl === undefined || isHttpUrl(deadLetterQueueUrl) ? undefined : `${deadLetterUrl.name} must be an http(s) URL, got ${quote(deadLetterUrl.value)}`,
  );
  if (violations.length > 0) throw new ConfigError(violations);
  return {
    parse: { parse: options.parse, bodyFormat: options.bodyFormat, maxRecordBytes: options.maxRecordBytes },
    processItem: options.processItem,
    processBatch: options.processBatch,
    itemConcurrency: concurrency.value === undefined ? DEFAULT_ITEM_CONCURRENCY : Number(concurrency.value),
    deadLetter: deadLetterOf(options, deadLetterQueueUrl, wiring),
    ...observability(options, env),
    now: options.now ?? (() => performance.now()),
  };
}

function handlerViolation<T, R>(options: WorkQueueOptions<T, R>): string | undefined {
  const given = [options.processItem, options.processBatch].filter((fn) => fn !== undefined);
  if (given.length !== 1) return `exactly one of processItem and processBatch must be given, got ${given.length}`;
  return typeof given[0] === 'function' ? undefined : `processItem/processBatch must be a function, got ${quote(given[0])}`;
}

function deadLetterOf<T, R>(options: WorkQueueOptions<T, R>, url: string | undefined, wiring: WorkQueueWiring): WorkQueueConfig<T, R>['deadLetter'] {
  if (options.deadLetterPublisher) return { publisher: options.deadLetterPublisher, fifo: url?.endsWith('.fifo') === true };
  if (url === undefined) return undefined;
  return { publisher: new QueuePublisher({ port: wiring.sendPortFor(url) }), fifo: url.endsWith('.fifo') };
}

/**
 * A setting from its option, else its env var (for a `numeric` one, digits are read as a number
 * and anything else kept as text for the range check to quote), with the name to blame.
 */
function setting(
  option: string,
  value: number | string | undefined,
  envName: string,
  env: EnvSource,
  numeric: boolean,
): { readonly name: string; readonly value: number | string | undefined } {
  if (value !== undefined) return { name: option, value };
  const raw = env[envName];
  if (raw === undefined || raw === '') return { name: envName, value: undefined };
  return { name: `${envName} (env)`, value: /^\s*\d+\s*$/.test(raw) && numeric ? Number(raw) : raw };
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
