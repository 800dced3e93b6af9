/**
 * The two single-hop measurements of the local-throughput benchmark, both against fauxqs
 * directly for what is not measured (filling a queue is the producer's cost, not the hop's):
 * the emulator's own receive+delete rate, and the rate one WorkQueue of the local runtime
 * drains its ingress at.
 */
import { callAwsJson } from '../../local-runtime/runtime/emulators/http';
import { SqsEmulator } from '../../local-runtime/runtime/emulators/sqs';
import type { LocalRuntime } from '../../local-runtime/runtime/local-runtime';

/** Receivers (and producers) at once: the hop's mapping runs as many pollers (4 workers per function). */
export const LOOPS = 4;
const SEND_LOOPS = 8;
/** Messages of the untimed warm-up round (the first batches of a fresh process run cold code). */
const WARM_UP = 40 * LOOPS;
const RECEIVE = { MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'], AttributeNames: ['All'], MessageAttributeNames: ['All'] };

const body = (i: number) => JSON.stringify({ id: `item-${i}`, payload: 'x'.repeat(64) });

/** Sends `items` messages to a queue of the emulator, 10 per SendMessageBatch, a few calls in flight. */
async function fill(port: number, queueUrl: string, items: number, from = 0): Promise<number> {
  let next = from;
  const end = from + items;
  const loop = async () => {
    for (let i = next; i < end; i = next) {
      next = Math.min(end, i + 10);
      const Entries = Array.from({ length: next - i }, (_, j) => ({ Id: String(j), MessageBody: body(i + j) }));
      const out = await callAwsJson<{ Failed?: unknown[] }>(port, 'AmazonSQS.SendMessageBatch', { QueueUrl: queueUrl, Entries });
      if ((out.Failed?.length ?? 0) > 0) throw new Error(`the emulator refused ${out.Failed!.length} sends: ${JSON.stringify(out.Failed![0])}`);
    }
  };
  await Promise.all(Array.from({ length: SEND_LOOPS }, loop));
  return items;
}

/**
 * The emulator ceiling: a queue of fauxqs holding `items` messages, drained by {@link LOOPS}
 * loops of ReceiveMessage (10, all attributes, as the mapping asks) + DeleteMessageBatch, over
 * HTTP straight to the emulator. Returns messages received and deleted per second.
 */
export async function emulatorCeiling(items: number): Promise<number> {
  const sqs = await SqsEmulator.start('us-east-1');
  try {
    await sqs.createQueues([{ name: 'ceiling', attributes: {} }], `127.0.0.1:${sqs.port}`);
    const queueUrl = sqs.emulatorUrl('ceiling')!;
    // A warm-up round first, as the single hop gets one: both are measured with warm code.
    await drain(sqs.port, queueUrl, await fill(sqs.port, queueUrl, WARM_UP));
    await fill(sqs.port, queueUrl, items, WARM_UP);
    const started = performance.now();
    await drain(sqs.port, queueUrl, items);
    return items / ((performance.now() - started) / 1000);
  } finally {
    await sqs.close();
  }
}

/** Receives and deletes until a receive comes back empty; returns how many were taken. */
async function drain(port: number, queueUrl: string, expected: number): Promise<number> {
  let taken = 0;
  const loop = async () => {
    for (;;) {
      const out = await callAwsJson<{ Messages?: { ReceiptHandle: string }[] }>(port, 'AmazonSQS.ReceiveMessage', { QueueUrl: queueUrl, ...RECEIVE });
      const messages = out.Messages ?? [];
      if (messages.length === 0) return;
      await callAwsJson(port, 'AmazonSQS.DeleteMessageBatch', { QueueUrl: queueUrl, Entries: messages.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle })) });
      taken += messages.length;
    }
  };
  await Promise.all(Array.from({ length: LOOPS }, loop));
  if (taken !== expected) throw new Error(`the ceiling loops took ${taken} of ${expected} messages`);
  return taken;
}

/** Resolves when the queue holds nothing and no batch of the runtime is in progress. */
async function drained(runtime: LocalRuntime, queue: string): Promise<void> {
  for (;;) {
    const d = await runtime.sqs.depth(queue);
    if (d.visible + d.inFlight + d.delayed === 0 && runtime.pollers.every((p) => p.inProgress === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Items per second through the runtime's one WorkQueue: `items` messages put straight into its
 * ingress (a few hundred first, to warm the workers up, not timed), from the first put of the
 * measured ones until the last is deleted after its invocation. The producer runs meanwhile,
 * on the same process, as a pipeline's previous stage would.
 *
 * @throws Error when an invocation or a record failed, or a message was not processed once
 */
export async function singleHop(runtime: LocalRuntime, queue: string, items: number): Promise<number> {
  const queueUrl = runtime.sqs.emulatorUrl(queue)!;
  const warmUp = WARM_UP;
  await fill(runtime.sqs.port, queueUrl, warmUp);
  await drained(runtime, queue);
  const poller = runtime.pollers[0]!;
  const before = poller.stats.records;
  const started = performance.now();
  await fill(runtime.sqs.port, queueUrl, items, warmUp);
  await drained(runtime, queue);
  const seconds = (performance.now() - started) / 1000;
  const s = poller.stats;
  if (s.failedInvocations + s.failedRecords + s.pollErrors > 0) throw new Error(`the hop failed: ${JSON.stringify(s)}`);
  if (s.records - before !== items) throw new Error(`the hop processed ${s.records - before} records for ${items} items`);
  return items / seconds;
}
