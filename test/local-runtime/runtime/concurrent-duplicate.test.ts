/**
 * The concurrent duplicate fault on a real fauxqs: a message picked for it becomes visible
 * again while its batch is being processed, another poller receives it, and two copies are in
 * flight at once; the queue still ends empty with every message processed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAwsJson } from '../../../local-runtime/runtime/emulators/http';
import { SqsEmulator } from '../../../local-runtime/runtime/emulators/sqs';
import { SqsPoller, type SqsMappingSpec } from '../../../local-runtime/runtime/esm/sqs-poller';
import { emulatorVisibilityExpiry } from '../../../local-runtime/runtime/faults/concurrent-duplicate';
import { FaultInjector, type FaultOptions } from '../../../local-runtime/runtime/faults/fault-injector';
import type { LocalAwsClient } from '../../../local-runtime/runtime/gateway/local-client';

const REGION = 'us-east-1';
const MESSAGES = 20;
const faultOptions: FaultOptions = { seed: 'concurrent-copies', duplicateDeliveryRate: 0.3, concurrentDuplicateShare: 1 };

let sqs: SqsEmulator;
let queueUrl: string;

beforeAll(async () => {
  sqs = await SqsEmulator.start(REGION);
  // A long visibility timeout: every second copy comes from the injected expiry, none from the timer.
  await sqs.createQueues([{ name: 'jobs', attributes: { VisibilityTimeout: '300' } }], '127.0.0.1');
  queueUrl = sqs.emulatorUrl('jobs')!;
});

afterAll(async () => {
  await sqs?.close();
});

/** The poller's client, straight to the emulator. */
const client = {
  call: (_service: string, operation: string, input: Record<string, unknown>) => callAwsJson(sqs.port, `AmazonSQS.${operation}`, { ...input, QueueUrl: queueUrl }, { region: REGION }),
} as unknown as LocalAwsClient;

interface Rec { readonly messageId: string; readonly body: string; readonly attributes: { ApproximateReceiveCount: string } }

describe('concurrent duplicate delivery', () => {
  it('puts two copies of a picked message in flight at once, and loses none', async () => {
    for (let i = 0; i < MESSAGES; i += 10) {
      const Entries = Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: JSON.stringify({ n: i + j }) }));
      await callAwsJson(sqs.port, 'AmazonSQS.SendMessageBatch', { QueueUrl: queueUrl, Entries }, { region: REGION });
    }
    // The same seed decides the same way: which (body, receive count) pairs get a concurrent copy.
    const oracle = new FaultInjector(faultOptions);
    const inFlight = new Map<string, number>();
    const overlapped = new Set<string>();
    // The copy may even be received before this copy's invocation starts: remember the highest receive count seen.
    const highestReceive = new Map<string, number>();
    const copyArrived = new Map<string, () => void>();
    const picked = new Set<string>();
    const effects = new Map<string, number>();
    const bodyOf = new Map<string, string>();
    const spec: SqsMappingSpec = {
      logicalId: 'Mapping', functionName: 'worker', queueArn: `arn:aws:sqs:${REGION}:000000000000:jobs`, queueUrl,
      batchSize: 10, batchingWindowMs: 0, concurrency: 10, filters: [], reportBatchItemFailures: true,
    };
    const invoke = async (_fn: string, event: unknown) => {
      const records = (event as { Records: Rec[] }).Records;
      const waits: Promise<void>[] = [];
      for (const r of records) {
        const n = (inFlight.get(r.messageId) ?? 0) + 1;
        inFlight.set(r.messageId, n);
        if (n > 1) overlapped.add(r.messageId);
        const receiveCount = Number(r.attributes.ApproximateReceiveCount);
        highestReceive.set(r.messageId, Math.max(receiveCount, highestReceive.get(r.messageId) ?? 0));
        copyArrived.get(r.messageId)?.();
        effects.set(r.body, (effects.get(r.body) ?? 0) + 1);
        bodyOf.set(r.messageId, r.body);
        if (oracle.duplicateKind(r.body, receiveCount) === 'concurrent') {
          picked.add(r.messageId);
          // Hold this copy until the other one is received: the slow batch of the fault.
          if (highestReceive.get(r.messageId)! > receiveCount) overlapped.add(r.messageId);
          else waits.push(new Promise<void>((resolve) => copyArrived.set(r.messageId, resolve)));
        }
      }
      await Promise.all(waits);
      for (const r of records) inFlight.set(r.messageId, inFlight.get(r.messageId)! - 1);
      return { batchItemFailures: [] };
    };
    const faults = new FaultInjector(faultOptions);
    const poller = new SqsPoller(spec, { client, invoke, faults, region: REGION, expireVisibility: emulatorVisibilityExpiry(sqs, REGION) });
    poller.start();
    try {
      while ((await sqs.inspect('jobs')).length > 0 || poller.inProgress > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      // As the runtime stops: flag the pollers, release their long polls, then await them.
      poller.requestStop();
      await sqs.close();
      await poller.stop();
    }
    expect(picked.size).toBeGreaterThanOrEqual(3);
    expect([...picked].filter((id) => !overlapped.has(id))).toStrictEqual([]);
    expect([...picked].filter((id) => !(effects.get(bodyOf.get(id)!)! >= 2))).toStrictEqual([]);
    expect(effects.size).toBe(MESSAGES);
    expect(faults.stats().concurrentDuplicates).toBe(oracle.stats().concurrentDuplicates);
  }, 60_000);
});
