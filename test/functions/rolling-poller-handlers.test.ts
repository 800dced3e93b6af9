import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Env, MessageAttribute, RollingPollerEnv as E, RollingPollerMetric as M, WatchTable } from '../../functions/contract';
import { PartialSendError } from '../../functions/lib/errors';
import { parseWatchCommand, queueCompletionSink } from '../../functions/lib/rolling-poller/completions';
import { createPollerHandler, createWatchIngressHandler, type RollingPollerWiring } from '../../functions/lib/rolling-poller/handlers';
import { InMemoryWatchStore } from '../../functions/lib/rolling-poller/memory-watch-store';
import type { CompletionEvent, CompletionSink } from '../../functions/lib/rolling-poller/types';
import { lambdaContext, sqsEvent } from '../../functions/lib/testing/sqs-event';
import { recordingSendPort } from '../../functions/lib/testing/recording-ports';

const T0 = 1_700_000_000_000;
const ENV = {
  [E.watchTableName]: 'watch', [E.windowSize]: '2', [E.maxCallsPerTick]: '2', [E.leaseSeconds]: '300',
  [E.maxAttempts]: '3', [E.backoffBaseSeconds]: '60', [E.backoffMaxSeconds]: '600',
  [E.completionQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/000000000000/done',
  [Env.deadLetterQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/000000000000/watch-dlq',
};

beforeEach(() => vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true'));
afterEach(() => vi.unstubAllEnvs());

function setup(env: Record<string, string> = ENV) {
  const store = new InMemoryWatchStore();
  const events: CompletionEvent[] = [];
  const targets: unknown[] = [];
  const sink: CompletionSink = { publish: async (batch) => void events.push(...batch) };
  const dlq = recordingSendPort();
  const wiring: RollingPollerWiring = { watchStoreFor: () => store, completionSinkFor: (target) => (targets.push(target), sink), sendPortFor: () => dlq.port };
  const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
  const addMetric = vi.spyOn(metrics, 'addMetric');
  const clock = { t: T0, now: () => clock.t };
  const common = { logger: new Logger({ logLevel: 'SILENT' }), metrics, clock, env };
  return { store, events, targets, dlq, wiring, addMetric, clock, common };
}

const metricValues = (spy: ReturnType<typeof setup>['addMetric'], name: string) => spy.mock.calls.filter((call) => call[0] === name).map((call) => call[2]);

describe('poller handler', () => {
  it('runs one tick within the call budget, completes finished items and publishes the tick metrics', async () => {
    const { store, events, targets, wiring, addMetric, common } = setup();
    for (const id of ['a', 'b', 'c', 'd', 'e']) await store.add(id, undefined, T0 - 90_000);
    const calls: string[][] = [];
    const handler = createPollerHandler({ ...common, checkStatus: async (items) => {
      calls.push(items.map((item) => item.id));
      return items.map((item) => (item.id === 'b' ? { id: item.id, state: 'done', status: 'SUCCEEDED' } : { id: item.id, state: 'pending' }));
    } }, wiring);
    const report = await handler({}, lambdaContext());
    expect(calls).toStrictEqual([['a', 'b'], ['c', 'd']]);
    expect(events.map((event) => event.id)).toStrictEqual(['b']);
    expect(targets).toStrictEqual([{ queueUrl: ENV[E.completionQueueUrl] }]);
    expect(report.completed).toBe(1);
    expect(metricValues(addMetric, M.pollsPerTick)).toStrictEqual([2]);
    expect(metricValues(addMetric, M.completionLag)).toStrictEqual([90]);
    expect(metricValues(addMetric, M.activeItems)).toStrictEqual([]);
  });

  it('publishes the active items once a pass ends', async () => {
    const { store, wiring, addMetric, common } = setup();
    for (const id of ['a', 'b', 'c']) await store.add(id, undefined, T0);
    await createPollerHandler({ ...common, checkStatus: async (items) => items.map((item) => ({ id: item.id, state: 'pending' })) }, wiring)({}, lambdaContext());
    expect(metricValues(addMetric, M.activeItems)).toStrictEqual([3]);
  });

  it('fails at cold start when both or neither completion target is set', () => {
    const { wiring, common } = setup();
    const both = { ...ENV, [E.completionBusName]: 'bus' };
    expect(() => createPollerHandler({ ...{ ...common, env: both }, checkStatus: async () => [] }, wiring)).toThrow(/exactly one of PP_COMPLETION_QUEUE_URL and PP_COMPLETION_BUS_NAME \(env\) must be set, got both/);
    const { [E.completionQueueUrl]: _unused, ...neither } = ENV;
    expect(() => createPollerHandler({ ...{ ...common, env: neither }, checkStatus: async () => [] }, wiring)).toThrow(/got neither/);
  });

  it('fails at cold start when the completion queue is a FIFO queue', () => {
    const { wiring, common } = setup();
    const fifo = { ...ENV, [E.completionQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/000000000000/done.fifo' };
    expect(() => createPollerHandler({ ...{ ...common, env: fifo }, checkStatus: async () => [] }, wiring)).toThrow(
      'PP_COMPLETION_QUEUE_URL (env) must name a standard queue (events are sent without a message group id), got "https://sqs.us-east-1.amazonaws.com/000000000000/done.fifo"',
    );
  });

  it('fails at cold start when the back-off cap is below its base', () => {
    const { wiring, common } = setup();
    expect(() => createPollerHandler({ ...{ ...common, env: { ...ENV, [E.backoffMaxSeconds]: '30' } }, checkStatus: async () => [] }, wiring)).toThrow(/PP_POLL_BACKOFF_MAX_SECONDS \(env\) must be ≥ PP_POLL_BACKOFF_BASE_SECONDS, got 30 < 60/);
  });
});

describe('watch ingress handler', () => {
  it('adds watched items and removes unwatched ones', async () => {
    const { store, wiring, common } = setup();
    const handler = createWatchIngressHandler(common, wiring);
    const command = (messageId: string, value: unknown) => ({ messageId, body: JSON.stringify(value) });
    await handler(sqsEvent(command('m1', { action: 'watch', id: 'job-1', data: { region: 'eu' } }), command('m2', { action: 'watch', id: 'job-2' })), lambdaContext());
    await handler(sqsEvent(command('m3', { action: 'unwatch', id: 'job-2' })), lambdaContext());
    expect(store.peek('job-1')).toStrictEqual({ id: 'job-1', data: { region: 'eu' }, addedAt: T0, polls: 0, attempts: 0 });
    expect(store.size).toBe(1);
  });

  it('sends a malformed command to the DLQ with the reason', async () => {
    const { dlq, wiring, common } = setup();
    const response = await createWatchIngressHandler(common, wiring)(sqsEvent({ messageId: 'bad', body: '{"action":"poll","id":"x"}' }), lambdaContext());
    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(dlq.calls[0]?.[0]?.attributes?.[MessageAttribute.errorReason]).toBe('action must be "watch" or "unwatch", got "poll"');
  });
});

describe('parseWatchCommand', () => {
  it('refuses the id reserved for the cursor, empty ids and non-objects', () => {
    expect(() => parseWatchCommand({ action: 'watch', id: WatchTable.cursorId })).toThrow(/reserved/);
    expect(() => parseWatchCommand({ action: 'watch', id: '' })).toThrow(/non-empty string/);
    expect(() => parseWatchCommand([1])).toThrow(/JSON object/);
  });
});

describe('queueCompletionSink', () => {
  it('publishes one message per event and reports the unsent ones by item id', async () => {
    const bodies: string[] = [];
    const sink = queueCompletionSink({
      publish: async (messages) => {
        bodies.push(...messages.map((message) => message.body));
        throw new PartialSendError([{ id: '0', code: 'InternalError', message: 'x', senderFault: false }]);
      },
    });
    const event = (id: string): CompletionEvent => ({ id, outcome: 'done', addedAt: T0, completedAt: T0 + 1, polls: 1 });
    expect(await sink.publish([event('a'), event('b')])).toStrictEqual(['a']);
    expect(JSON.parse(bodies[1] as string)).toStrictEqual(event('b'));
  });
});
