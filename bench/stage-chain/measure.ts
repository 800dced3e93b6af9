/**
 * Measuring one chain on the local runtime: send items to its ingress, wait until every item
 * is in its sink table and its queues are drained, and read what it cost — requests per
 * service from the gateway's counter (invocations under `lambda`, see billing.ts), billed duration from the
 * invocations' wall time.
 */
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { INVOCATION_SERVICE, tallyByService } from '../../local-runtime/runtime/accounting/billing';
import type { LocalRuntime } from '../../local-runtime/runtime/local-runtime';

/** How items enter a chain: in 10-entry batches, or one message each (the naive producer). */
export type SendMode = 'batched' | 'single';

/** What one measured run used. */
export interface ChainRun {
  readonly items: number;
  /** Billable requests per service (empty receives excluded), invocations under `lambda`. */
  readonly requests: Readonly<Record<string, number>>;
  readonly emptyReceives: number;
  readonly invocations: number;
  /** GB-seconds of billed duration (each invocation rounded up to 1 ms). */
  readonly gbSeconds: number;
  /** Items in the sink table at the end. */
  readonly written: number;
}

/** Wraps the runtime's invoke to record each invocation's billed GB-seconds. */
export function trackGbSeconds(runtime: LocalRuntime): { take: () => number } {
  const registry = runtime.lambdas;
  const invoke = registry.invoke.bind(registry);
  let gbSeconds = 0;
  registry.invoke = async (name, event) => {
    const started = performance.now();
    try {
      return await invoke(name, event);
    } finally {
      const memoryGb = registry.host(name).spec.memoryMb / 1024;
      gbSeconds += (Math.ceil(performance.now() - started) / 1000) * memoryGb;
    }
  };
  return {
    take: () => {
      const taken = gbSeconds;
      gbSeconds = 0;
      return taken;
    },
  };
}

/**
 * Runs `items` items through the chain whose ingress is `ingressUrl` and sink is `table`.
 *
 * @param timeoutMs give up (throw) when the chain is not done by then
 */
export async function measureChain(
  runtime: LocalRuntime,
  chain: { readonly ingressUrl: string; readonly table: string; readonly queueNames: readonly string[]; readonly mode: SendMode },
  items: number,
  gb: { take: () => number },
  timeoutMs = 600_000,
): Promise<ChainRun> {
  const pollers = runtime.pollers.filter((p) => chain.queueNames.some((name) => p.spec.queueUrl.endsWith(`/${name}`)));
  runtime.counter.reset();
  gb.take();
  const sqs = new SQSClient(runtime.clientConfig());
  try {
    await sendItems(sqs, chain.ingressUrl, items, chain.mode);
  } finally {
    sqs.destroy();
  }
  await waitUntilDone(runtime, chain, pollers, items, timeoutMs);
  const requests: Record<string, number> = {};
  let emptyReceives = 0;
  for (const [service, tally] of tallyByService(runtime.counter.rowsSnapshot())) {
    requests[service] = tally.requests;
    emptyReceives += tally.emptyReceives;
  }
  const invocations = requests[INVOCATION_SERVICE] ?? 0;
  return { items, requests, emptyReceives, invocations, gbSeconds: gb.take(), written: await runtime.dynamodb.count(chain.table) };
}

async function sendItems(sqs: SQSClient, queueUrl: string, items: number, mode: SendMode): Promise<void> {
  const body = (n: number) => JSON.stringify({ id: `item-${n}`, n, payload: 'x'.repeat(200) });
  if (mode === 'single') {
    for (let n = 0; n < items; n++) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body(n) }));
    return;
  }
  for (let n = 0; n < items; n += 10) {
    const Entries = Array.from({ length: Math.min(10, items - n) }, (_, j) => ({ Id: String(j), MessageBody: body(n + j) }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
  }
}

/** Done: every item written, no message left in the chain's queues, no batch in progress. */
async function waitUntilDone(
  runtime: LocalRuntime,
  chain: { readonly table: string; readonly queueNames: readonly string[] },
  pollers: LocalRuntime['pollers'],
  items: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const written = await runtime.dynamodb.count(chain.table);
    const depths = await Promise.all(chain.queueNames.map(async (name) => ({ name, ...(await runtime.sqs.depth(name)) })));
    const held = depths.filter((d) => d.visible + d.inFlight + d.delayed > 0);
    if (written >= items && held.length === 0 && pollers.every((p) => p.inProgress === 0)) return;
    if (Date.now() > deadline) {
      const queues = held.map((d) => `${d.name} visible=${d.visible} inFlight=${d.inFlight} delayed=${d.delayed}`).join('; ');
      throw new Error(`stage-chain bench: ${chain.table} not done after ${timeoutMs} ms: ${written}/${items} written; queues [${queues}]`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
