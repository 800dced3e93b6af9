import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Env, MarkerSweeperEnv as E, MarkerSweeperMetric as M, MessageAttribute } from '../../functions/contract';
import { ConfigError } from '../../functions/lib/errors';
import { createMarkerHandler, createSweeperHandler, type MarkerSweeperWiring, type SweepFn } from '../../functions/lib/marker-sweeper/handlers';
import { InMemoryFlagStore } from '../../functions/lib/marker-sweeper/memory-flag-store';
import type { Flag } from '../../functions/lib/marker-sweeper/types';
import { lambdaContext, sqsEvent } from '../../functions/lib/testing/sqs-event';
import { recordingSendPort } from '../../functions/lib/testing/recording-ports';

const T0 = 1_700_000_000_000;
const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/marks-dlq';
const ENV = {
  [E.flagTableName]: 'flags', [E.flagShards]: '4', [E.flagTtlSeconds]: '86400', [E.keyPath]: '$.room.id',
  [E.sweepBatchSize]: '3', [E.sweepMaxBatches]: '5', [E.leaseSeconds]: '120', [E.retryDelaySeconds]: '30',
  [Env.deadLetterQueueUrl]: DLQ_URL, [E.sweepMaxAttempts]: '2', [E.sweepDeadLetterQueueUrl]: DLQ_URL,
  [E.outstandingCountIntervalSeconds]: '300',
};

beforeEach(() => vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true'));
afterEach(() => vi.unstubAllEnvs());

function setup(env: Record<string, string> = ENV) {
  const store = new InMemoryFlagStore(4);
  const dlq = recordingSendPort();
  const wiring: MarkerSweeperWiring = { flagStoreFor: () => store, sendPortFor: () => dlq.port };
  const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
  const addMetric = vi.spyOn(metrics, 'addMetric');
  const clock = { t: T0, now: () => clock.t };
  const common = { logger: new Logger({ logLevel: 'SILENT' }), metrics, clock, env };
  return { store, dlq, wiring, addMetric, clock, common };
}

const metricValue = (spy: ReturnType<typeof setup>['addMetric'], name: string) => spy.mock.calls.filter((call) => call[0] === name).map((call) => call[2]);
const mark = (messageId: string, room: unknown) => ({ messageId, body: JSON.stringify({ room: { id: room } }) });

describe('marker handler', () => {
  it('marks each distinct key once and reports marks collapsed', async () => {
    const { store, wiring, addMetric, common } = setup();
    const handler = createMarkerHandler(common, wiring);
    const response = await handler(sqsEvent(mark('m1', 'r1'), mark('m2', 'r2'), mark('m3', 'r1')), lambdaContext());
    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect([store.peek('r1')?.marks, store.peek('r2')?.marks]).toStrictEqual([2, 1]);
    expect(store.calls.mark).toBe(2);
    expect(metricValue(addMetric, M.marksCollapsed)).toStrictEqual([1]);
    expect(metricValue(addMetric, M.flagsCreated)).toStrictEqual([2]);
  });

  it('sends an event without a key to the DLQ with the reason, and marks the others', async () => {
    const { store, dlq, wiring, common } = setup();
    const handler = createMarkerHandler(common, wiring);
    const response = await handler(sqsEvent(mark('m1', 'r1'), { messageId: 'bad', body: '{"room":{}}' }), lambdaContext());
    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(dlq.calls[0]?.[0]?.attributes?.[MessageAttribute.errorReason]).toMatch(/no non-empty string, number or boolean at "\$.room.id"/);
    expect(store.peek('r1')?.marks).toBe(1);
  });

  it('fails only the events whose flag write failed', async () => {
    const { store, wiring, common } = setup();
    const original = store.mark.bind(store);
    store.mark = async (key, ...rest) => (key === 'r2' ? Promise.reject(new Error('throttled')) : original(key, ...rest));
    const handler = createMarkerHandler(common, wiring);
    const response = await handler(sqsEvent(mark('m1', 'r1'), mark('m2', 'r2')), lambdaContext());
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  });

  it('fails at cold start naming every missing or bad variable', () => {
    const { wiring, common } = setup();
    expect(() => createMarkerHandler({ ...common, env: { [E.flagShards]: '0' } }, wiring)).toThrow(ConfigError);
    expect(() => createMarkerHandler({ ...common, env: { [E.flagShards]: '0' } }, wiring)).toThrow(
      /PP_FLAG_TABLE_NAME \(env\) must be set.*PP_FLAG_SHARDS \(env\) must be an integer from 1 to 100, got 0.*PP_MARK_KEY_PATH/,
    );
  });
});

describe('sweeper handler', () => {
  it('sweeps full batches up to the configured count and publishes the sweep metrics', async () => {
    const { store, wiring, addMetric, clock, common } = setup();
    for (let i = 0; i < 7; i++) await store.mark(`r${i}`, `m${i}`, T0 - 30_000, 1);
    const batches: string[][] = [];
    const sweep: SweepFn = async (flags) => void batches.push(flags.map((flag: Flag) => flag.key));
    const report = await createSweeperHandler({ ...common, sweep }, wiring)({}, lambdaContext());
    expect(batches.map((batch) => batch.length)).toStrictEqual([3, 3, 1]);
    expect(report.cleared).toBe(7);
    expect(metricValue(addMetric, M.oldestFlagAge)).toStrictEqual([30]);
    expect(metricValue(addMetric, M.flagsSwept)).toStrictEqual([7]);
    expect(metricValue(addMetric, M.outstandingFlags)).toStrictEqual([0]);
    expect(clock.t).toBe(T0);
  });

  it('starts no further batch once half of the invocation time is gone', async () => {
    const { store, wiring, common } = setup();
    for (let i = 0; i < 7; i++) await store.mark(`r${i}`, `m${i}`, T0, 1);
    let remainingMs = 60_000;
    const context = { ...lambdaContext(), getRemainingTimeInMillis: () => remainingMs };
    const batches: number[] = [];
    // The first batch takes 31 of the 60 seconds: a second one might not finish in time.
    const sweep: SweepFn = async (flags) => void (batches.push(flags.length), (remainingMs -= 31_000));
    const report = await createSweeperHandler({ ...common, sweep }, wiring)({}, context);
    expect(batches).toStrictEqual([3]);
    expect(report.cleared).toBe(3);
  });

  it('hands the sweep function the logger and invocation context', async () => {
    const { store, wiring, common } = setup();
    await store.mark('r1', 'm1', T0, 1);
    const seen: string[] = [];
    await createSweeperHandler({ ...common, sweep: async (_flags, { lambdaContext: ctx, logger }) => void seen.push(ctx.functionName, typeof logger.info) }, wiring)({}, lambdaContext('sweeper'));
    expect(seen).toStrictEqual(['sweeper', 'function']);
  });

  it('leases flags for the configured time and retries a thrown batch after the retry delay', async () => {
    const { store, wiring, common } = setup();
    await store.mark('r1', 'm1', T0, 1);
    const handler = createSweeperHandler({ ...common, sweep: async () => { throw new Error('backend down'); } }, wiring);
    await expect(handler({}, lambdaContext())).rejects.toThrow('backend down');
    expect(store.peek('r1')?.dueAt).toBe(T0 + 30_000);
  });

  it('parks a flag in the DLQ with its last error once its sweep failed sweepMaxAttempts times, and counts it', async () => {
    const { store, dlq, wiring, addMetric, clock, common } = setup();
    await store.mark('r1', 'm1', T0, 1);
    const handler = createSweeperHandler({ ...common, sweep: async () => { throw new Error('backend down'); } }, wiring);
    for (let run = 0; run < 3; run++) {
      await handler({}, lambdaContext()).catch(() => undefined);
      clock.t += 30_000;
    }
    expect(dlq.calls.flat().map((entry) => [JSON.parse(entry.body).flag.key, JSON.parse(entry.body).error, entry.attributes?.[MessageAttribute.errorReason]]))
      .toStrictEqual([['r1', 'Error: backend down', 'Error: backend down']]);
    expect(metricValue(addMetric, M.flagsParked)).toStrictEqual([1]);
    expect(store.peek('r1')).toBeUndefined();
  });

  it('counts the outstanding flags at most once per count interval: 10 one-minute sweeps read the whole index twice', async () => {
    const { store, wiring, addMetric, clock, common } = setup();
    const handler = createSweeperHandler({ ...common, sweep: async () => undefined }, wiring);
    await store.mark('left-over', 'm0', T0 + 3_600_000, 1);
    for (let run = 0; run < 10; run++) {
      await store.mark(`r${run}`, `m${run}`, clock.t, 1);
      await handler({}, lambdaContext());
      clock.t += 60_000;
    }
    // Reads per sweep: one due-flags query per shard (4); the full count only on runs 1 and 6.
    expect([store.calls.countOutstanding, store.calls.dueIn / 10]).toStrictEqual([2, 4]);
    expect(metricValue(addMetric, M.outstandingFlags)).toStrictEqual([1, 1]);
  });

  it('rejects unknown options', () => {
    const { wiring, common } = setup();
    expect(() => createSweeperHandler({ ...common, batch: 3, sweep: async () => {} } as never, wiring)).toThrow(/sweeper: unknown option "batch"/);
  });
});
