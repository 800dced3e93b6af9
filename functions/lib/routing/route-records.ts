/**
 * The core of every routing handler (splitter, sharder, copier, filter, merger): decide the
 * outputs of each record, then publish each output's records in full batches, and report
 * exactly which records failed.
 *
 * A record fails when its routing throws (e.g. a body that is not JSON) or when any of its
 * copies was not sent. Failed records go back to SQS (partial batch response) and are routed
 * again; the outputs that already got a copy may get it twice, so consumers must be idempotent
 * (delivery is at least once).
 */
import { PartialSendError } from '../errors';
import type { PublishMessage, PublishResult } from '../publisher';
import type { AttributeValue } from '../queue-port';

/** A message to route: an SQS record's id, body and message attributes. */
export interface RoutedRecord {
  /** The SQS message id (also the batch entry id of each copy). */
  readonly messageId: string;
  /** The body, forwarded unchanged. */
  readonly body: string;
  /** Message attributes (String, Number, Binary), forwarded unchanged. @default - none */
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
  /** FIFO message group, kept on every copy to a FIFO output (deduplicated by message id). @default - none */
  readonly groupId?: string;
}

/** The outputs of one record: one name (splitter, sharder), several (copier) or none (filtered out). */
export type RouteFn = (record: RoutedRecord) => readonly string[];

/** Sends messages to one output, like a `QueuePublisher`. */
export interface OutputPublisher {
  /** Sends every message or throws (a `PartialSendError` names the unsent ones). */
  publish(messages: readonly PublishMessage[]): Promise<PublishResult>;
}

/** What {@link routeRecords} did. */
export interface RouteOutcome {
  /** Records that must be retried (or sent to the DLQ), with their error, by message id. */
  readonly failed: ReadonlyMap<string, unknown>;
  /** Copies accepted per output name. */
  readonly sent: ReadonlyMap<string, number>;
  /** Records no output claimed (a filter's drops). */
  readonly dropped: number;
}

/** Records grouped by output, and the records whose routing threw. */
export interface RouteGroups {
  /** Output name → its records, in input order. */
  readonly groups: ReadonlyMap<string, RoutedRecord[]>;
  /** Message id → the error routing threw. */
  readonly errors: ReadonlyMap<string, unknown>;
  /** Records routed to no output. */
  readonly dropped: number;
}

/** Applies `route` to every record; a throwing record is set aside, never lost. */
export function groupByOutput(records: readonly RoutedRecord[], route: RouteFn): RouteGroups {
  const groups = new Map<string, RoutedRecord[]>();
  const errors = new Map<string, unknown>();
  let dropped = 0;
  for (const record of records) {
    let outputs: readonly string[];
    try {
      outputs = route(record);
    } catch (error) {
      errors.set(record.messageId, error);
      continue;
    }
    if (outputs.length === 0) dropped++;
    for (const output of new Set(outputs)) {
      const group = groups.get(output) ?? [];
      group.push(record);
      groups.set(output, group);
    }
  }
  return { groups, errors, dropped };
}

/**
 * Routes `records` and publishes every output's share through its publisher, outputs in
 * parallel. Never throws: every problem is a failed record in the outcome.
 *
 * @param publishers output name → publisher; a route to an unknown output fails its record
 * @param fifoOutputs the outputs that are FIFO queues: only their copies carry a message group
 *   and deduplication id (a standard queue refuses them)
 */
export async function routeRecords(
  records: readonly RoutedRecord[],
  route: RouteFn,
  publishers: ReadonlyMap<string, OutputPublisher>,
  fifoOutputs: ReadonlySet<string> = new Set(),
): Promise<RouteOutcome> {
  const { groups, errors, dropped } = groupByOutput(records, route);
  const failed = new Map(errors);
  const sent = new Map<string, number>();
  await Promise.all(
    [...groups].map(async ([output, group]) => {
      const publisher = publishers.get(output);
      if (publisher === undefined) {
        const error = new Error(`no publisher for output "${output}"`);
        for (const record of group) failed.set(record.messageId, error);
        return;
      }
      const unsent = await publishGroup(publisher, group, fifoOutputs.has(output));
      for (const [id, error] of unsent) failed.set(id, error);
      sent.set(output, group.length - unsent.size);
    }),
  );
  return { failed, sent, dropped };
}

/** Publishes one output's records; returns the ids not sent, with their error. */
async function publishGroup(publisher: OutputPublisher, group: readonly RoutedRecord[], fifo: boolean): Promise<Map<string, unknown>> {
  const messages = group.map((record): PublishMessage => ({
    id: record.messageId,
    body: record.body,
    ...(record.attributes === undefined ? {} : { attributes: record.attributes }),
    // A record from a standard input becomes its own group: no order to keep, none invented.
    ...(fifo ? { messageGroupId: record.groupId ?? record.messageId, messageDeduplicationId: record.messageId } : {}),
  }));
  try {
    await publisher.publish(messages);
    return new Map();
  } catch (error) {
    if (error instanceof PartialSendError) return new Map(error.failed.map((entry) => [entry.id, error]));
    // Anything else (bad entry, oversize) was thrown before or instead of sending: the whole group is unsent.
    return new Map(group.map((record) => [record.messageId, error]));
  }
}
