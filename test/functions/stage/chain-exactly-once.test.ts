/**
 * Property: a 3-stage chain built from `createStageHandler` delivers every item exactly once
 * — to the sink table or to one dead-letter queue — whatever transient failures, permanent
 * failures, poison items, refused sends and unprocessed writes hit it.
 *
 * The queues are simulated in memory with SQS's redrive rule (a message received
 * `maxReceiveCount` times without being deleted moves to the DLQ); the handlers are the real ones.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchWriter } from '../../../functions/lib/batch-writer';
import { PoisonRecordError } from '../../../functions/lib/errors';
import { QueuePublisher } from '../../../functions/lib/publisher';
import type { QueueSendPort } from '../../../functions/lib/queue-port';
import { createStageHandler } from '../../../functions/lib/stage-chain/stage-handler';
import { queueSink, tableSink, type ResultSink } from '../../../functions/lib/stage-chain/stage-sink';
import type { WorkQueueHandler } from '../../../functions/lib/work-queue/handler';
import { lambdaContext, sqsEvent } from '../../../functions/lib/testing/sqs-event';
import { quietMetrics, silentLogger } from '../../helpers/quiet-telemetry';

const STAGES = 3;
const MAX_RECEIVE_COUNT = 3;
const noSleep = async (): Promise<void> => undefined;

interface Message {
  readonly messageId: string;
  readonly body: string;
  receiveCount: number;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Faults {
  readonly seed: number;
  readonly transientRate: number;
  readonly permanentRate: number;
  readonly poisonRate: number;
  readonly refuseRate: number;
  readonly unprocessedRate: number;
}

function runChain(itemCount: number, faults: Faults) {
  const random = prng(faults.seed);
  const queues: Message[][] = Array.from({ length: STAGES }, () => []);
  const dlqs: string[][] = Array.from({ length: STAGES }, () => []);
  const sink = new Map<string, number>();
  let nextId = 0;
  const itemIdOf = (body: string): string => (JSON.parse(body) as { id: string }).id;
  // Permanent failures and poison are properties of an item at a stage, decided once.
  const fate = new Map<string, 'permanent' | 'poison' | 'ok'>();
  const fateOf = (id: string, stage: number): string => {
    const key = `${id}@${stage}`;
    if (!fate.has(key)) {
      const r = random();
      fate.set(key, r < faults.poisonRate ? 'poison' : r < faults.poisonRate + faults.permanentRate ? 'permanent' : 'ok');
    }
    return fate.get(key) as string;
  };
  const sendPortTo = (stage: number): QueueSendPort => ({
    async sendBatch(entries) {
      const failed = entries.filter(() => random() < faults.refuseRate);
      for (const entry of entries) {
        if (!failed.includes(entry)) queues[stage]!.push({ messageId: `q${stage}-${nextId++}`, body: entry.body, receiveCount: 0 });
      }
      return { failed: failed.map((e) => ({ id: e.id, code: 'InternalError', message: 'refused', senderFault: false })) };
    },
  });
  const dlqPort = (stage: number): QueueSendPort => ({
    async sendBatch(entries) {
      for (const entry of entries) dlqs[stage]!.push(itemIdOf(entry.body));
      return { failed: [] };
    },
  });
  const tablePort = {
    async write(requests: readonly { put: Record<string, unknown> }[]) {
      const unprocessed = requests.filter(() => random() < faults.unprocessedRate);
      for (const r of requests) if (!unprocessed.includes(r)) sink.set(String(r.put.id), (sink.get(String(r.put.id)) ?? 0) + 1);
      return { unprocessed };
    },
  };
  const handlers: WorkQueueHandler[] = Array.from({ length: STAGES }, (_, stage) => {
    const resultSink: ResultSink =
      stage < STAGES - 1
        ? queueSink(new QueuePublisher({ port: sendPortTo(stage + 1), maxAttempts: 2, sleep: noSleep }))
        : tableSink(new BatchWriter({ port: tablePort as never, keyAttributes: ['id'], maxAttempts: 2, sleep: noSleep }), ['id']);
    return createStageHandler<{ id: string }, { id: string }>(
      {
        processItem: async (item) => {
          const f = fateOf(item.id, stage);
          if (f === 'poison') throw new PoisonRecordError('poison');
          if (f === 'permanent' || random() < faults.transientRate) throw new Error('failed');
          return { id: item.id };
        },
        sink: resultSink,
        deadLetterPublisher: new QueuePublisher({ port: dlqPort(stage), sleep: noSleep }),
        logger: silentLogger(),
        metrics: quietMetrics().metrics,
        env: {},
      },
      { sendPortFor: () => dlqPort(stage), writePortFor: () => tablePort as never },
    );
  });
  return { queues, dlqs, sink, handlers, seedIngress: sendPortTo(0), itemCount };
}

/** Drains every queue the way the Lambda poller and SQS redrive would. */
async function drain(chain: ReturnType<typeof runChain>): Promise<void> {
  const { queues, dlqs, handlers } = chain;
  while (queues.some((q) => q.length > 0)) {
    for (let stage = 0; stage < STAGES; stage++) {
      const batch = queues[stage]!.splice(0, 10);
      if (batch.length === 0) continue;
      for (const m of batch) m.receiveCount++;
      let failedIds: Set<string>;
      try {
        const event = sqsEvent(...batch.map((m) => ({ messageId: m.messageId, body: m.body, receiveCount: m.receiveCount })));
        const response = await handlers[stage]!(event, lambdaContext());
        failedIds = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      } catch {
        failedIds = new Set(batch.map((m) => m.messageId));
      }
      for (const m of batch.filter((x) => failedIds.has(x.messageId))) {
        if (m.receiveCount >= MAX_RECEIVE_COUNT) dlqs[stage]!.push((JSON.parse(m.body) as { id: string }).id);
        else queues[stage]!.push(m);
      }
    }
  }
}

const rate = (max: number) => fc.double({ min: 0, max, noNaN: true });

describe('BatchStageChain runtime', () => {
  it('delivers every item exactly once, to the sink or one DLQ, under partial failures (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 120 }),
        fc.record({ seed: fc.integer(), transientRate: rate(0.4), permanentRate: rate(0.1), poisonRate: rate(0.1), refuseRate: rate(0.3), unprocessedRate: rate(0.3) }),
        async (itemCount, faults) => {
          const chain = runChain(itemCount, faults);
          const ids = Array.from({ length: itemCount }, (_, i) => `item-${i}`);
          await new QueuePublisher({ port: chain.seedIngress, maxAttempts: 20, sleep: noSleep, random: () => 0 }).publish(
            ids.map((id) => ({ body: JSON.stringify({ id }) })),
          ).catch(() => undefined);
          const sent = new Set(chain.queues[0]!.map((m) => (JSON.parse(m.body) as { id: string }).id));
          await drain(chain);
          const landed = [...chain.sink.keys(), ...chain.dlqs.flat()];
          expect([...chain.sink.values()].every((count) => count === 1)).toBe(true);
          expect(landed.sort()).toStrictEqual([...sent].sort());
        },
      ),
      { numRuns: 60 },
    );
  });
});
