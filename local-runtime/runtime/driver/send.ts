/**
 * Sends items to an SQS queue the way a producer should: SendMessageBatch calls of up to 10
 * entries (and at most 1 MiB), several in flight, failed entries retried with backoff.
 */
import { SendMessageBatchCommand, type SendMessageBatchCommandInput, type SendMessageBatchCommandOutput, type SQSClient } from '@aws-sdk/client-sqs';
import { chunkByCountAndBytes } from '../../../functions/lib/chunk';
import { LocalRuntimeError } from '../errors';

/**
 * Sends one SendMessageBatch without an SDK client: what an in-process caller of the local
 * runtime's gateway offers (`npm start`'s driver), answering as the SDK would.
 */
export interface BatchSender {
  sendMessageBatch(input: SendMessageBatchCommandInput): Promise<Pick<SendMessageBatchCommandOutput, 'Failed'>>;
}

/** Options of {@link sendAll}. */
export interface SendOptions {
  /** An SQS client, or an in-process {@link BatchSender}. */
  readonly client: SQSClient | BatchSender;
  readonly queueUrl: string;
  /** Message bodies. */
  readonly bodies: readonly string[];
  /** SendMessageBatch calls in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Attempts per entry before giving up. @default 5 */
  readonly maxAttempts?: number;
  /** Told how many entries have been accepted so far. */
  readonly onProgress?: (sent: number) => void;
}

const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 1_048_576;

/** Splits bodies into batches of at most 10 entries and 1 MiB (a larger body alone is an OversizeEntryError). */
export function packBatches(bodies: readonly string[]): string[][] {
  return chunkByCountAndBytes(bodies, { maxEntries: MAX_ENTRIES, maxBytes: MAX_BATCH_BYTES, sizeOf: (body) => Buffer.byteLength(body) });
}

async function sendBatch(options: SendOptions, bodies: string[]): Promise<void> {
  let pending = bodies.map((body, i) => ({ Id: String(i), MessageBody: body }));
  for (let attempt = 1; pending.length > 0; attempt++) {
    const input = { QueueUrl: options.queueUrl, Entries: pending };
    const { client } = options;
    const out = 'sendMessageBatch' in client ? await client.sendMessageBatch(input) : await client.send(new SendMessageBatchCommand(input));
    const failed = new Set((out.Failed ?? []).map((f) => f.Id));
    pending = pending.filter((e) => failed.has(e.Id));
    if (pending.length > 0 && attempt >= (options.maxAttempts ?? 5)) {
      throw new LocalRuntimeError(`${pending.length} entries were refused ${attempt} times: ${JSON.stringify(out.Failed?.[0])}`);
    }
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
  }
}

/** Sends every body; resolves when all were accepted. */
export async function sendAll(options: SendOptions): Promise<void> {
  const batches = packBatches(options.bodies);
  let next = 0;
  let sent = 0;
  const worker = async () => {
    for (let i = next++; i < batches.length; i = next++) {
      await sendBatch(options, batches[i]!);
      sent += batches[i]!.length;
      options.onProgress?.(sent);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
}
