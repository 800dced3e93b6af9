import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { acceptingSqs } from '../../helpers/accepting-sqs';
import { Env, MarkerSweeperEnv, MessageAttribute, RollingPollerEnv, RoutingEnv, type RouterConfig } from '../../../functions/contract';
import { ManualClock } from '../../../functions/lib/clock';
import { PoisonRecordError } from '../../../functions/lib/errors';
import { createMarkerHandler } from '../../../functions/lib/marker-sweeper/handlers';
import { InMemoryFlagStore } from '../../../functions/lib/marker-sweeper/memory-flag-store';
import { QueuePublisher } from '../../../functions/lib/publisher';
import type { SendEntry } from '../../../functions/lib/queue-port';
import { createWatchIngressHandler } from '../../../functions/lib/rolling-poller/handlers';
import { InMemoryWatchStore } from '../../../functions/lib/rolling-poller/memory-watch-store';
import { createRouterHandler } from '../../../functions/lib/routing/create-router-handler';
import { InMemoryEventSink, InMemoryTaskStore, InMemoryTimeoutScheduler } from '../../../functions/lib/sparse-task';
import { createStageHandler } from '../../../functions/lib/stage-chain/stage-handler';
import { queueSink } from '../../../functions/lib/stage-chain/stage-sink';
import { recordingSendPort } from '../../../functions/lib/testing/recording-ports';
import { lambdaContext, sqsEvent, type RecordSpec } from '../../../functions/lib/testing/sqs-event';
import { createWorkQueueHandler } from '../../../functions/lib/work-queue/handler';
import { sparseTaskCompletionHandler, sparseTaskSubmitter } from '../../../functions/sparse-task/factory';
import { account, commonCases, LONE_SURROGATE_IDS, type AdversarialCase } from '../../helpers/adversarial-input';

const T0 = 1_700_000_000_000;
const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/ingress-dlq';
const noSleep = async (): Promise<void> => undefined;
const sqs = acceptingSqs();

const telemetry = () => ({ logger: new Logger({ logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'Test', serviceName: 'test' }) });

/** A built ingress: invoke it, then read what reached its DLQ and what it did with good records. */
interface Ingress {
  readonly invoke: (records: readonly RecordSpec[]) => Promise<SQSBatchResponse>;
  readonly dlqEntries: () => SendEntry[];
  /** Ids of the good records whose effect is visible. */
  readonly done: () => string[];
  /** Message ids of hostile records forwarded unchanged (routers only). @default - none */
  readonly forwarded?: () => string[];
}

/** The DLQ entries sent through the mocked SQS client (the factories wired to AWS). */
function sdkDlqEntries(): SendEntry[] {
  return sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => (call.args[0].input.Entries ?? []).map((entry) => ({
    id: entry.Id ?? '', body: entry.MessageBody ?? '',
    attributes: Object.fromEntries(Object.entries(entry.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue ?? ''])),
  })));
}

interface IngressSpec {
  readonly name: string;
  readonly build: () => Ingress;
  /** A valid body naming `id`. */
  readonly good: (id: string) => string;
  /** Cases of this ingress's shape (wrong types, missing ids). */
  readonly shapeCases: readonly AdversarialCase[];
  /** A valid body whose id is `id` (for the lone-surrogate cases), or none when the ingress keeps no ids. */
  readonly withId?: (id: string) => string;
  /** Routers are transport: they forward what they cannot read unchanged, for the consumer's parse to judge. @default false */
  readonly forwardsHostile?: boolean;
}

const idShape = (body: unknown): { id: string } => {
  const id = (body as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || id === '') throw new PoisonRecordError(`an item needs a non-empty string id, got ${JSON.stringify(id) ?? 'undefined'}`);
  return { id };
};

const ingresses: IngressSpec[] = [
  {
    name: 'WorkQueue handler (with the user parse validating the shape)',
    good: (id) => JSON.stringify({ id }),
    shapeCases: [{ name: 'id of the wrong type', body: '{"id":7}', expect: 'dlq', reason: /non-empty string id, got 7/ }],
    build: () => {
      const dlq = recordingSendPort();
      const done: string[] = [];
      const handler = createWorkQueueHandler<{ id: string }, void>({ ...telemetry(), env: { [Env.deadLetterQueueUrl]: DLQ_URL }, parse: idShape, processItem: async (item) => void done.push(item.id) }, { sendPortFor: () => dlq.port });
      return { invoke: (records) => handler(sqsEvent(...records), lambdaContext()), dlqEntries: () => dlq.calls.flat(), done: () => done };
    },
  },
  {
    name: 'stage handler',
    good: (id) => JSON.stringify({ id }),
    shapeCases: [{ name: 'id of the wrong type', body: '{"id":["a"]}', expect: 'dlq', reason: /non-empty string id/ }],
    build: () => {
      const dlq = recordingSendPort();
      const next = recordingSendPort();
      const handler = createStageHandler<{ id: string }, unknown>({
        ...telemetry(), env: {}, parse: idShape, processItem: async (item) => item,
        deadLetterPublisher: new QueuePublisher({ port: dlq.port, sleep: noSleep }),
        sink: queueSink(new QueuePublisher({ port: next.port, sleep: noSleep })),
      }, { sendPortFor: () => next.port, writePortFor: () => { throw new Error('no table'); } });
      return { invoke: (records) => handler(sqsEvent(...records), lambdaContext()), dlqEntries: () => dlq.calls.flat(), done: () => next.calls.flat().map((entry) => JSON.parse(entry.body).id) };
    },
  },
  {
    name: 'router handler (sharder on "user")',
    good: (id) => JSON.stringify({ user: id }),
    forwardsHostile: true,
    shapeCases: [
      { name: 'missing shard key', body: '{"id":"x"}', expect: 'dlq' },
      { name: 'shard key of the wrong type', body: '{"user":{"a":1}}', expect: 'dlq' },
    ],
    build: () => {
      const outputs = [recordingSendPort(), recordingSendPort()];
      const dlq = recordingSendPort();
      const config: RouterConfig = { kind: 'shard', outputs: 2, key: 'user', shards: ['s0', 's1'] };
      const env = { [RoutingEnv.routerConfig]: JSON.stringify(config), [`${RoutingEnv.outputUrlPrefix}0`]: 'http://q/out0', [`${RoutingEnv.outputUrlPrefix}1`]: 'http://q/out1', [Env.deadLetterQueueUrl]: DLQ_URL };
      const publishers = new Map(outputs.map((output, index) => [String(index), new QueuePublisher({ port: output.port, sleep: noSleep })]));
      const handler = createRouterHandler({ ...telemetry(), env, publishers }, { sendPortFor: () => dlq.port });
      return {
        invoke: (records) => handler(sqsEvent(...records), lambdaContext()),
        dlqEntries: () => dlq.calls.flat(),
        done: () => outputs.flatMap((output) => output.calls.flat().filter((entry) => entry.id.startsWith('good')).map((entry) => JSON.parse(entry.body).user)),
        forwarded: () => outputs.flatMap((output) => output.calls.flat().filter((entry) => !entry.id.startsWith('good')).map((entry) => entry.id)),
      };
    },
  },
  {
    name: 'marker (key path "room.id")',
    good: (id) => JSON.stringify({ room: { id } }),
    withId: (id) => JSON.stringify({ room: { id } }),
    shapeCases: [
      { name: 'missing key', body: '{"room":{}}', expect: 'dlq', reason: /no non-empty string, number or boolean at "room.id"/ },
      { name: 'key of the wrong type', body: '{"room":{"id":{"x":1}}}', expect: 'dlq', reason: /no non-empty string, number or boolean/ },
    ],
    build: () => {
      const store = new InMemoryFlagStore(2);
      const dlq = recordingSendPort();
      const env = { [MarkerSweeperEnv.flagTableName]: 'flags', [MarkerSweeperEnv.flagShards]: '2', [MarkerSweeperEnv.flagTtlSeconds]: '86400', [MarkerSweeperEnv.keyPath]: 'room.id', [Env.deadLetterQueueUrl]: DLQ_URL };
      const handler = createMarkerHandler({ ...telemetry(), env, clock: { now: () => T0 } }, { flagStoreFor: () => store, sendPortFor: () => dlq.port });
      const seen: string[] = [];
      return {
        invoke: async (records) => {
          const response = await handler(sqsEvent(...records), lambdaContext());
          for (const record of records) {
            const key = (() => { try { return JSON.parse(record.body)?.room?.id; } catch { return undefined; } })();
            if (typeof key === 'string' && store.peek(key) !== undefined && !seen.includes(key)) seen.push(key);
          }
          return response;
        },
        dlqEntries: () => dlq.calls.flat(),
        done: () => seen,
      };
    },
  },
  {
    name: 'watch ingress',
    good: (id) => JSON.stringify({ action: 'watch', id }),
    withId: (id) => JSON.stringify({ action: 'watch', id }),
    shapeCases: [
      { name: 'missing id', body: '{"action":"watch"}', expect: 'dlq', reason: /id/ },
      { name: 'unknown action', body: '{"action":"poll","id":"x"}', expect: 'dlq', reason: /action must be "watch" or "unwatch"/ },
    ],
    build: () => {
      const store = new InMemoryWatchStore();
      const dlq = recordingSendPort();
      const env = { [RollingPollerEnv.watchTableName]: 'watch', [Env.deadLetterQueueUrl]: DLQ_URL };
      const handler = createWatchIngressHandler({ ...telemetry(), env, clock: { now: () => T0 } }, { watchStoreFor: () => store, sendPortFor: () => dlq.port });
      const added: string[] = [];
      return {
        invoke: async (records) => {
          const response = await handler(sqsEvent(...records), lambdaContext());
          for (const record of records) {
            const id = (() => { try { return JSON.parse(record.body)?.id; } catch { return undefined; } })();
            if (typeof id === 'string' && store.peek(id) !== undefined && !added.includes(id)) added.push(id);
          }
          return response;
        },
        dlqEntries: () => dlq.calls.flat(),
        done: () => added,
      };
    },
  },
  {
    name: 'sparse-task submitter',
    good: (id) => JSON.stringify({ taskId: id }),
    withId: (id) => JSON.stringify({ taskId: id }),
    shapeCases: [
      { name: 'malformed JSON (submission)', body: '{"taskId":', expect: 'dlq', reason: /submission is not valid JSON/ },
      { name: 'missing task id', body: '{"input":1}', expect: 'dlq', reason: /taskId/ },
      { name: 'task id of the wrong type', body: '{"taskId":42}', expect: 'dlq', reason: /taskId/ },
    ],
    build: () => {
      const store = new InMemoryTaskStore();
      const started: string[] = [];
      const handler = sparseTaskSubmitter({
        store, scheduler: new InMemoryTimeoutScheduler(), sink: new InMemoryEventSink(), clock: new ManualClock(T0), ...telemetry(),
        env: { [Env.deadLetterQueueUrl]: DLQ_URL }, defaultTimeoutMs: 600_000, start: async (task) => void started.push(task.taskId),
      });
      return { invoke: (records) => handler(sqsEvent(...records), lambdaContext()), dlqEntries: sdkDlqEntries, done: () => started };
    },
  },
  {
    name: 'sparse-task completion handler',
    good: (id) => JSON.stringify({ taskId: id, status: 'SUCCEEDED' }),
    withId: (id) => JSON.stringify({ taskId: id, status: 'SUCCEEDED' }),
    shapeCases: [
      { name: 'missing task id', body: '{"status":"SUCCEEDED"}', expect: 'dlq', reason: /taskId/ },
      { name: 'unknown status', body: '{"taskId":"t","status":"MAYBE"}', expect: 'dlq', reason: /status/ },
    ],
    build: () => {
      const store = new InMemoryTaskStore();
      const sink = new InMemoryEventSink();
      const scheduler = new InMemoryTimeoutScheduler();
      const clock = new ManualClock(T0);
      const handler = sparseTaskCompletionHandler({ store, scheduler, sink, clock, ...telemetry(), env: { [Env.deadLetterQueueUrl]: DLQ_URL } });
      const known = async (taskId: string): Promise<void> => {
        await store.create({ taskId, status: 'PENDING', correlationId: `c-${taskId}`, submittedAt: T0, deadline: T0 + 600_000, scheduleName: `s-${taskId}`, losers: {}, loserCount: 0 });
      };
      return {
        invoke: async (records) => {
          for (const record of records) {
            const taskId = (() => { try { return JSON.parse(record.body)?.taskId; } catch { return undefined; } })();
            if (typeof taskId === 'string' && record.messageId.startsWith('good')) await known(taskId);
          }
          return handler(sqsEvent(...records), lambdaContext());
        },
        dlqEntries: sdkDlqEntries,
        done: () => store.all().filter((record) => record.status === 'SUCCEEDED').map((record) => record.taskId),
      };
    },
  },
];

describe.each(ingresses)('$name under adversarial input', (spec) => {
  const cases = [...commonCases(), ...spec.shapeCases];

  it.each(cases)('$name: $expect, and its batch-mate is processed', async (bad) => {
    const ingress = spec.build();
    const records: RecordSpec[] = [{ messageId: 'good-1', body: spec.good('ok-1') }, { messageId: 'bad', body: bad.body }];
    const response = await ingress.invoke(records);
    const { failed, dlq } = account(records, response, ingress.dlqEntries());
    expect(ingress.done()).toStrictEqual(['ok-1']);
    if (spec.forwardsHostile) {
      expect([failed, [...dlq.keys()], ingress.forwarded?.()]).toStrictEqual([[], [], ['bad']]);
    } else if (bad.expect === 'dlq') {
      expect([failed, [...dlq.keys()]]).toStrictEqual([[], ['bad']]);
      expect(dlq.get('bad')).toMatch(bad.reason ?? /./);
    } else {
      expect([failed, [...dlq.keys()]]).toStrictEqual([['bad'], []]);
    }
  });

  it('accounts for every record of a 10,000-record batch, half of them hostile', async () => {
    const ingress = spec.build();
    const hostile = cases.filter((bad) => bad.body.length < 10_000);
    const records: RecordSpec[] = Array.from({ length: 10_000 }, (_, index) => (index % 2 === 0
      ? { messageId: `good-${index}`, body: spec.good(`ok-${index}`) }
      : { messageId: `bad-${index}`, body: (hostile[index % hostile.length] as AdversarialCase).body }));
    const response = await ingress.invoke(records);
    const { failed, dlq } = account(records, response, ingress.dlqEntries());
    expect(failed).toStrictEqual([]);
    expect(dlq.size + (ingress.forwarded?.().length ?? 0)).toBe(5_000);
    expect(ingress.done().length).toBe(5_000);
  });

  it.runIf(spec.withId !== undefined)('sends ids that are not well-formed UTF-16 (lone surrogates) to the DLQ instead of storing them', async () => {
    const ingress = spec.build();
    const records: RecordSpec[] = LONE_SURROGATE_IDS.map((id, index) => ({ messageId: `lone-${index}`, body: (spec.withId as (id: string) => string)(id) }));
    const response = await ingress.invoke(records);
    const { failed, dlq } = account(records, response, ingress.dlqEntries());
    expect([failed, [...dlq.keys()].sort()]).toStrictEqual([[], ['lone-0', 'lone-1']]);
    expect([...dlq.values()].every((reason) => /well-formed|surrogate/.test(reason))).toBe(true);
    expect(ingress.done()).toStrictEqual([]);
  });
});

it('keeps the reason attribute on every DLQ message of the mocked SDK path', () => {
  expect(MessageAttribute.errorReason).toBe('PpErrorReason');
});
