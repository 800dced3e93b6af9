import { describe, expect, it } from 'vitest';
import { RequestAggregator } from '../../functions/lib/request-aggregator/aggregator';
import { createWorkQueueHandler } from '../../functions/lib/work-queue/handler';
import { recordingSendPort } from '../../functions/lib/testing/recording-ports';
import { quietMetrics, silentLogger } from '../helpers/quiet-telemetry';
import { recordingLoader } from '../helpers/recording-loader';
import { lambdaContext, sqsEvent } from '../../functions/lib/testing/sqs-event';

interface Order {
  readonly id: string;
  readonly customer: string;
}

/** N orders over K customers: order i belongs to customer i mod K. */
const orders = (n: number, k: number): Order[] => Array.from({ length: n }, (_, i) => ({ id: `o${i}`, customer: `c${i % k}` }));

/** A work-queue handler whose per-item code looks its customer up through one module-scope aggregator. */
function build(itemConcurrency: number, maxBatchSize: number) {
  const { loadBatch, calls } = recordingLoader((keys) => keys.map((key) => `name of ${key}`));
  const customers = new RequestAggregator({ loadBatch, maxBatchSize });
  const seen: string[] = [];
  const handler = createWorkQueueHandler<Order, void>(
    {
      processItem: async (order) => void seen.push(`${order.id}:${await customers.load(order.customer)}`),
      itemConcurrency,
      logger: silentLogger(),
      metrics: quietMetrics().metrics,
      env: {},
    },
    { sendPortFor: () => recordingSendPort().port },
  );
  const invoke = (items: readonly Order[]) => handler(sqsEvent(...items.map((order) => ({ messageId: order.id, body: JSON.stringify(order) }))), lambdaContext());
  return { invoke, calls, seen };
}

describe('RequestAggregator inside a work-queue handler', () => {
  it('turns 100 items over 37 customers into ⌈37 / 10⌉ = 4 backend calls when itemConcurrency covers the batch', async () => {
    const { invoke, calls, seen } = build(100, 10);
    const items = orders(100, 37);
    expect(await invoke(items)).toStrictEqual({ batchItemFailures: [] });
    expect(calls.map((call) => call.length)).toStrictEqual([10, 10, 10, 7]);
    expect(new Set(calls.flat()).size).toBe(37);
    expect(seen.sort()).toStrictEqual(items.map((order) => `${order.id}:name of ${order.customer}`).sort());
  });

  it('makes one call per wave of itemConcurrency items when itemConcurrency is smaller than the batch', async () => {
    const { invoke, calls } = build(25, 100);
    await invoke(orders(100, 100));
    expect(calls.map((call) => call.length)).toStrictEqual([25, 25, 25, 25]);
  });

  it('fails only the records whose key failed', async () => {
    const failing = new RequestAggregator<string, string>({ loadBatch: async (keys) => keys.map((key) => (key === 'c1' ? new Error('no customer c1') : key)) });
    const handler = createWorkQueueHandler<Order, void>(
      { processItem: async (order) => void (await failing.load(order.customer)), itemConcurrency: 10, logger: silentLogger(), metrics: quietMetrics().metrics, env: {} },
      { sendPortFor: () => recordingSendPort().port },
    );
    const items = orders(6, 3);
    const response = await handler(sqsEvent(...items.map((order) => ({ messageId: order.id, body: JSON.stringify(order) }))), lambdaContext());
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: 'o1' }, { itemIdentifier: 'o4' }] });
  });
});
