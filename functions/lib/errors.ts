/**
 * The runtime's one error hierarchy.
 *
 * Every error the runtime throws is a {@link PpError}: catch that to catch them all, or a
 * subclass to react to one case. Subclasses carry the data a caller needs to act (which
 * entries, which sizes, which value) as readonly fields, so nobody has to parse a message.
 * Add new pattern errors at the end of this file, extending `PpError` and overriding `name`
 * with a literal: bundlers minify class names, and the name travels in DLQ attributes and logs.
 */

/** Options accepted by every {@link PpError} constructor. */
export interface PpErrorOptions {
  /** The lower-level error that caused this one. @default - no cause */
  readonly cause?: unknown;
}

/** Base class of every error thrown by the pp-patterns runtime. */
export class PpError extends Error {
  constructor(message: string, options: PpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PpError';
  }
}

/** A bad option or environment variable; the message quotes the offending value. */
export class ConfigError extends PpError {
  override readonly name: string = 'ConfigError';
  /** Every violation found, one line each (validation collects them all before throwing). */
  readonly violations: readonly string[];

  constructor(violations: readonly string[], options: PpErrorOptions = {}) {
    super(`Invalid configuration: ${violations.join('; ')}`, options);
    this.violations = [...violations];
  }
}

/** A record that can never succeed (malformed JSON, wrong shape, oversize): it goes to the DLQ, not back to the queue. */
export class PoisonRecordError extends PpError {
  override readonly name: string = 'PoisonRecordError';
  /** Why the record can never succeed, as written to the DLQ message's reason attribute. */
  readonly reason: string;

  constructor(reason: string, options: PpErrorOptions = {}) {
    super(reason, options);
    this.reason = reason;
  }
}

/** An entry that is alone larger than the size limit of the batch it must travel in. */
export class OversizeEntryError extends PpError {
  override readonly name: string = 'OversizeEntryError';
  /** Id (or index) of the oversize entry. */
  readonly entryId: string;
  /** Its size in bytes. */
  readonly size: number;
  /** The limit it exceeds, in bytes. */
  readonly limit: number;

  constructor(entryId: string, size: number, limit: number) {
    super(`Entry "${entryId}" is ${size} bytes, over the ${limit}-byte limit`);
    this.entryId = entryId;
    this.size = size;
    this.limit = limit;
  }
}

/** An entry the runtime refuses before sending it (bad or duplicate id, missing key attribute). */
export class InvalidEntryError extends PpError {
  override readonly name: string = 'InvalidEntryError';
  /** Id (or index) of the entry. */
  readonly entryId: string;

  constructor(entryId: string, problem: string) {
    super(`Entry "${entryId}": ${problem}`);
    this.entryId = entryId;
  }
}

/** One SQS batch entry that was not sent. */
export interface FailedSendEntry {
  /** The entry id. */
  readonly id: string;
  /** The error code SQS (or the thrown error) gave. */
  readonly code: string;
  /** The error message. */
  readonly message: string;
  /** True when SQS blamed the request, so a retry would fail the same way. */
  readonly senderFault: boolean;
}

/** Some entries of a publish were still not sent after every attempt; the others were. */
export class PartialSendError extends PpError {
  override readonly name: string = 'PartialSendError';
  /** Every entry not sent, with the last error seen for it. */
  readonly failed: readonly FailedSendEntry[];

  constructor(failed: readonly FailedSendEntry[], options: PpErrorOptions = {}) {
    const ids = failed.map((entry) => `${entry.id} (${entry.code})`).join(', ');
    super(`${failed.length} entries not sent: ${ids}`, options);
    this.failed = failed;
  }
}

/** DynamoDB write requests still unprocessed after every attempt; the others were written. */
export class UnprocessedItemsError<Req = unknown> extends PpError {
  override readonly name: string = 'UnprocessedItemsError';
  /** The put/delete requests not written, in their original order. */
  readonly unprocessed: readonly Req[];

  constructor(unprocessed: readonly Req[], options: PpErrorOptions = {}) {
    super(`${unprocessed.length} write requests unprocessed after all attempts`, options);
    this.unprocessed = unprocessed;
  }
}

/** Every record of an SQS batch failed: thrown so Lambda retries the batch as a whole. */
export class FullBatchFailureError extends PpError {
  override readonly name: string = 'FullBatchFailureError';
  /** The error of each failed record, keyed by message id. */
  readonly errors: ReadonlyMap<string, unknown>;

  constructor(errors: ReadonlyMap<string, unknown>) {
    const first = errors.values().next().value;
    super(`All ${errors.size} records of the batch failed`, { cause: first });
    this.errors = errors;
  }
}

/** A FIFO record not processed because an earlier record of its message group failed. */
export class FifoGroupStoppedError extends PpError {
  override readonly name: string = 'FifoGroupStoppedError';
  /** The message group that stopped. */
  readonly groupId: string;

  constructor(groupId: string) {
    super(`Not processed: an earlier message of FIFO group "${groupId}" failed`);
    this.groupId = groupId;
  }
}

/** A Sparse Task completion event names a task that was never submitted (or whose record expired). */
export class UnknownTaskError extends PoisonRecordError {
  override readonly name: string = 'UnknownTaskError';
  /** The task id the event named. */
  readonly taskId: string;

  constructor(taskId: string) {
    super(`No task record for taskId ${JSON.stringify(taskId)}: never submitted, or its record expired`);
    this.taskId = taskId;
  }
}

/** A Sparse Task completion event carries a correlation id other than the task's. */
export class CorrelationMismatchError extends PoisonRecordError {
  override readonly name: string = 'CorrelationMismatchError';
  /** The task id the event named. */
  readonly taskId: string;
  /** The correlation id the event carried. */
  readonly received: string;

  constructor(taskId: string, received: string) {
    super(`Completion for task ${JSON.stringify(taskId)} carries correlationId ${JSON.stringify(received)}, which is not the task's`);
    this.taskId = taskId;
    this.received = received;
  }
}

/** A Sparse Task record refused a write its current state should have accepted: retry, the store will settle. */
export class TaskStoreInconsistencyError extends PpError {
  override readonly name: string = 'TaskStoreInconsistencyError';
}

/** EventBridge refused an entry of a PutEvents call; the caller's retry sends it again. */
export class EventPublishError extends PpError {
  override readonly name: string = 'EventPublishError';
  /** The error code EventBridge gave for the entry. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(`PutEvents refused the event: ${code}: ${message}`);
    this.code = code;
  }
}

/** A RequestAggregator's batch function threw or rejected: every load of that batch fails with this. */
export class BatchFunctionError extends PpError {
  override readonly name: string = 'BatchFunctionError';
  /** How many distinct keys the failed batch held. */
  readonly batchSize: number;

  constructor(batchSize: number, options: PpErrorOptions = {}) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`The batch function failed for a batch of ${batchSize} keys: ${reason}`, options);
    this.batchSize = batchSize;
  }
}

/** A RequestAggregator's batch function returned something other than one result per key. */
export class BatchResultCountError extends PpError {
  override readonly name: string = 'BatchResultCountError';
  /** Results expected: the batch's key count. */
  readonly expected: number;
  /** What came back: the array's length, or a description of the non-array value. */
  readonly received: number | string;

  constructor(expected: number, received: number | string) {
    super(`The batch function must return one result per key, in key order: expected ${expected}, got ${received}`);
    this.expected = expected;
    this.received = received;
  }
}

/** DynamoDB keys still unprocessed by BatchGetItem after every attempt; the other keys were read. */
export class UnprocessedKeysError extends PpError {
  override readonly name: string = 'UnprocessedKeysError';
  /** The keys not read. */
  readonly unprocessed: readonly Readonly<Record<string, unknown>>[];

  constructor(unprocessed: readonly Readonly<Record<string, unknown>>[], options: PpErrorOptions = {}) {
    super(`${unprocessed.length} keys unprocessed by BatchGetItem after all attempts`, options);
    this.unprocessed = unprocessed;
  }
}

/** A request sent through a RequestAggregator construct was answered with an error by the batch function. */
export class RequestFailedError extends PpError {
  override readonly name: string = 'RequestFailedError';
  /** The request id. */
  readonly requestId: string;
  /** The error's class name, as the aggregator function recorded it. */
  readonly errorType: string;

  constructor(requestId: string, message: string, errorType: string) {
    super(`Request ${JSON.stringify(requestId)} failed: ${errorType}: ${message}`);
    this.requestId = requestId;
    this.errorType = errorType;
  }
}

/** No answer to a request sent through a RequestAggregator construct arrived in time. */
export class RequestTimeoutError extends PpError {
  override readonly name: string = 'RequestTimeoutError';
  /** The request id (submit it again with this id to keep it idempotent). */
  readonly requestId: string;
  /** How long the caller waited, in ms. */
  readonly waitedMs: number;

  constructor(requestId: string, waitedMs: number) {
    super(`No answer to request ${JSON.stringify(requestId)} after ${waitedMs} ms`);
    this.requestId = requestId;
    this.waitedMs = waitedMs;
  }
}

/** Reducers kept winning a Reduce shard from each other; the batch goes back to SQS (merging stays idempotent). */
export class ReduceConflictError extends PpError {
  override readonly name: string = 'ReduceConflictError';
  /** The aggregation. */
  readonly reduceId: string;
  /** The contended shard. */
  readonly shard: number;

  constructor(reduceId: string, shard: number, attempts: number) {
    super(`shard ${shard} of aggregation "${reduceId}" still contended after ${attempts} attempts`);
    this.reduceId = reduceId;
    this.shard = shard;
  }
}

/** A Reduce shard would outgrow one DynamoDB item: the construct needs more `shards`. */
export class ReduceShardFullError extends PpError {
  override readonly name: string = 'ReduceShardFullError';
  /** The aggregation. */
  readonly reduceId: string;
  /** The shard. */
  readonly shard: number;
  /** The size it would have, in bytes. */
  readonly bytes: number;

  constructor(reduceId: string, shard: number, bytes: number, limit: number) {
    super(`shard ${shard} of aggregation "${reduceId}" would be ${bytes} bytes, over ${limit}: raise the Reduce's shards`);
    this.reduceId = reduceId;
    this.shard = shard;
    this.bytes = bytes;
  }
}
