/**
 * `pp redrive`'s core: messages from a dead-letter queue back to the queue they failed in.
 *
 * - No filter: SQS `StartMessageMoveTask` (SQS moves them itself, at `rate` per second);
 *   where that API is not served (the local emulator) it falls back to the path below.
 * - With a filter: receive (messages stay invisible to others meanwhile), send the matching
 *   ones to their destination with the runtime's publisher, and only then delete them from
 *   the DLQ; release the others at the end. An interruption between send and delete leaves a
 *   copy in both queues, never in neither: at least once, like every SQS path.
 */
import {
  ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand,
  StartMessageMoveTaskCommand, type Message, type SQSClient,
} from '@aws-sdk/client-sqs';
import { MessageAttribute, type FilterPattern } from '../../functions/contract';
import { sqsSendPort } from '../../functions/lib/aws/sqs-send-port';
import { PartialSendError } from '../../functions/lib/errors';
import { QueuePublisher, type PublishMessage } from '../../functions/lib/publisher';
import { bodyMatches } from '../../functions/lib/routing/filter-pattern';

/** What {@link redrive} needs. */
export interface RedriveOptions {
  readonly sqs: SQSClient;
  /** URL of the dead-letter queue. */
  readonly fromUrl: string;
  /** Resolves a queue ARN to its URL. */
  readonly urlOfArn: (arn: string) => Promise<string>;
  /** Queues whose redrive policy targets the DLQ (ARNs): the destination when there is one. */
  readonly sourceArns: readonly string[];
  /** Destination queue URL and ARN, overriding the message's own source. */
  readonly to?: { readonly url: string; readonly arn: string };
  /** Lambda-style filter pattern over the JSON body. */
  readonly filter?: FilterPattern;
  /** Only messages whose failure reason attribute contains this text. */
  readonly reasonContains?: string;
  /** Most messages moved per second. */
  readonly rate?: number;
  /** Seconds a received, not-moved message stays hidden while the run goes on. @default 300 */
  readonly holdSeconds?: number;
  readonly signal?: AbortSignal;
  /** @default - a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

/** What a redrive did. */
export interface RedriveReport {
  readonly mode: 'move-task' | 'receive-send';
  /** The move task's handle (move-task mode). */
  readonly taskHandle?: string;
  /** Messages moved (receive-send mode). */
  readonly moved: number;
  /** Messages left in the DLQ because they did not match. */
  readonly kept: number;
  /** Messages left because no destination could be told. */
  readonly noDestination: number;
  /** Why the move task was not used, when it was tried. */
  readonly fallbackReason?: string;
}

/** Redrives the DLQ. */
export async function redrive(options: RedriveOptions): Promise<RedriveReport> {
  const attrs = (await options.sqs.send(new GetQueueAttributesCommand({ QueueUrl: options.fromUrl, AttributeNames: ['QueueArn'] }))).Attributes ?? {};
  let fallbackReason: string | undefined;
  if (options.filter === undefined && options.reasonContains === undefined) {
    const destinationArn = options.to?.arn ?? (options.sourceArns.length === 1 ? options.sourceArns[0] : undefined);
    try {
      const out = await options.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: attrs.QueueArn, DestinationArn: destinationArn, MaxNumberOfMessagesPerSecond: options.rate }));
      return { mode: 'move-task', taskHandle: out.TaskHandle, moved: 0, kept: 0, noDestination: 0 };
    } catch (error) {
      if (error instanceof Error && /AccessDenied/.test(error.name)) throw error;
      fallbackReason = `StartMessageMoveTask: ${error instanceof Error ? `${error.name} ${error.message}` : String(error)}`;
    }
  }
  return { ...(await receiveSendDelete(options)), ...(fallbackReason === undefined ? {} : { fallbackReason }) };
}

async function receiveSendDelete(options: RedriveOptions): Promise<RedriveReport> {
  const { sqs } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const held: { Id: string; ReceiptHandle: string }[] = [];
  const seen = new Set<string>();
  const publishers = new Map<string, QueuePublisher>();
  let moved = 0;
  let kept = 0;
  let noDestination = 0;
  const started = now();
  try {
    while (!options.signal?.aborted) {
      const messages = (await sqs.send(new ReceiveMessageCommand({
        QueueUrl: options.fromUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: options.holdSeconds ?? 300,
        MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'],
      }))).Messages ?? [];
      const fresh = messages.filter((m) => !seen.has(m.MessageId ?? ''));
      if (fresh.length === 0) break;
      const toMove = new Map<string, Message[]>();
      for (const m of fresh) {
        seen.add(m.MessageId ?? '');
        const destination = matches(m, options) ? await destinationOf(m, options) : undefined;
        if (destination === undefined) {
          if (matches(m, options)) noDestination++;
          else kept++;
          held.push({ Id: String(held.length), ReceiptHandle: m.ReceiptHandle ?? '' });
        } else toMove.set(destination, [...(toMove.get(destination) ?? []), m]);
      }
      for (const [url, batch] of toMove) {
        const publisher = publishers.get(url) ?? new QueuePublisher({ port: sqsSendPort(url, sqs) });
        publishers.set(url, publisher);
        // Send first: a message is deleted from the DLQ only once its copy is accepted.
        const refused = await publishReporting(publisher, batch.map((m, i) => toPublish(m, i, url)));
        const sent = batch.filter((_, i) => !refused.has(String(i)));
        await deleteAll(sqs, options.fromUrl, sent);
        moved += sent.length;
        if (refused.size > 0) throw new Error(`${refused.size} message(s) could not be sent to ${url}; they stay in the DLQ (the ${sent.length} sent were removed from it)`);
      }
      if (options.rate !== undefined) {
        const due = started + (moved / options.rate) * 1000 - now();
        if (due > 0) await sleep(due);
      }
    }
  } finally {
    await release(sqs, options.fromUrl, held);
  }
  return { mode: 'receive-send', moved, kept, noDestination };
}

/** Publishes; returns the ids SQS refused after every retry instead of throwing, so the sent ones can be deleted. */
async function publishReporting(publisher: QueuePublisher, messages: readonly PublishMessage[]): Promise<Set<string>> {
  try {
    await publisher.publish(messages);
    return new Set();
  } catch (error) {
    if (error instanceof PartialSendError) return new Set(error.failed.map((f) => f.id));
    throw error;
  }
}

function matches(m: Message, options: RedriveOptions): boolean {
  if (options.filter !== undefined && !bodyMatches(options.filter, m.Body ?? '')) return false;
  if (options.reasonContains !== undefined) return (m.MessageAttributes?.[MessageAttribute.errorReason]?.StringValue ?? '').includes(options.reasonContains);
  return true;
}

/** `--to`, else the queue the message failed in (SQS's attribute, or the runtime's), else the DLQ's only source. */
async function destinationOf(m: Message, options: RedriveOptions): Promise<string | undefined> {
  if (options.to) return options.to.url;
  const arn = m.Attributes?.DeadLetterQueueSourceArn ?? m.MessageAttributes?.[MessageAttribute.sourceQueueArn]?.StringValue ?? (options.sourceArns.length === 1 ? options.sourceArns[0] : undefined);
  return arn === undefined ? undefined : options.urlOfArn(arn);
}

function toPublish(m: Message, index: number, url: string): PublishMessage {
  const attributes = Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).flatMap(([k, v]) => (v.StringValue !== undefined && v.DataType === 'String' ? [[k, v.StringValue]] : [])));
  const fifo = url.endsWith('.fifo');
  return {
    id: String(index), body: m.Body ?? '', attributes,
    ...(fifo ? { messageGroupId: m.Attributes?.MessageGroupId ?? 'redrive', messageDeduplicationId: m.Attributes?.MessageDeduplicationId ?? m.MessageId } : {}),
  };
}

async function deleteAll(sqs: SQSClient, url: string, batch: readonly Message[]): Promise<void> {
  if (batch.length === 0) return;
  let entries = batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' }));
  for (let attempt = 0; attempt < 3 && entries.length > 0; attempt++) {
    const failed = new Set(((await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: entries }))).Failed ?? []).map((f) => f.Id));
    entries = entries.filter((e) => failed.has(e.Id));
  }
  if (entries.length > 0) throw new Error(`${entries.length} redriven message(s) could not be deleted from the DLQ; they will reappear there (their copies were sent)`);
}

/** Makes the messages this run held visible again at once. */
async function release(sqs: SQSClient, url: string, held: readonly { Id: string; ReceiptHandle: string }[]): Promise<void> {
  for (let i = 0; i < held.length; i += 10) {
    const Entries = held.slice(i, i + 10).map((h, j) => ({ Id: String(j), ReceiptHandle: h.ReceiptHandle, VisibilityTimeout: 0 }));
    await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries }));
  }
}
