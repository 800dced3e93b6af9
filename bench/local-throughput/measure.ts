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
const RECEIVE = { MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'], AttributeNames: ['All'], MessageAttributeNames: ['All'] };

const body = (i: number) => JSON.stringify({ id: `item-${i}`, payload: 'x'.repeat(64) });

/** Sends `items` messages to a queue of the emulator, 10 per SendMessageBatch, a few calls in flight. */
async function fill(port: number, queueUrl: string, items: number, from = 0): Promise<void> {
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
    await fill(sqs.port, queueUrl, items);
    let taken = 0;
    const started = performance.now();
    const loop = async () => {
      for (;;) {
        const out = await callAwsJson<{ Messages?: { ReceiptHandle: string }[] }>(sqs.port, 'AmazonSQS.ReceiveMessage', { QueueUrl: queueUrl, ...RECEIVE });
        const messages = out.Messages ?? [];
        if (messages.length === 0) return;
        await callAwsJson(sqs.port, 'AmazonSQS.DeleteMessageBatch', { QueueUrl: queueUrl, Entries: messages.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle })) });
        taken += messages.length;
      }
    };
    await Promise.all(Array.from({ length: LOOPS }, loop));
    const seconds = (performance.now() - started) / 1000;
    if (taken !== items) throw new Error(`the ceiling loops took ${taken} of ${items} messages`);
    return items / seconds;
  } finally {
    await sqs.close();
  }
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
  const warmUp = 40 * LOOPS;
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
