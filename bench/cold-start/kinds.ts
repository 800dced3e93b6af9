/**
 * The handler kinds the cold-start bench builds: each handler a user writes with a
 * `pp-patterns/runtime` factory (as a handler file of their app) and each built-in handler
 * entry our constructs bundle from the installed package, with the environment its construct
 * sets and a small realistic first event.
 */
import {
  Env,
  FanOutEnv,
  MarkerSweeperEnv,
  ParallelWorkflowEnv,
  ReduceEnv,
  RequestAggregatorEnv,
  RollingPollerEnv,
  RoutingEnv,
  SourceReconcilerEnv,
  SparseTaskEnv,
} from '../../functions/contract';

/** One kind of handler. */
export interface HandlerKind {
  /** Its name in the bench lines. */
  readonly name: string;
  /** A user's handler file importing `pp-patterns/runtime`, or a built-in entry under `functions/`. */
  readonly source: { readonly userFile: string } | { readonly builtIn: string };
  /** The environment its construct gives the function. */
  readonly env: Record<string, string>;
  /** The first event. */
  readonly event: unknown;
}

const REGION = 'us-east-1';
/**
 * Where the bench's endpoint goes in a queue URL: SQS clients send to the host of the queue
 * URL they are given, so the bench gives them URLs on its endpoint (see {@link ENDPOINT}).
 */
export const ENDPOINT = '{endpoint}';
const queue = (name: string): string => `${ENDPOINT}/123456789012/${name}`;
const arn = (service: string, resource: string): string => `arn:aws:${service}:${REGION}:123456789012:${resource}`;

/** An SQS event of `bodies.length` records, as the event source mapping delivers it. */
export function sqsEvent(bodies: readonly unknown[]): unknown {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `0c6a6f3e-5d1b-4e0a-9f1e-00000000000${i}`,
      receiptHandle: `AQEB${'x'.repeat(120)}${i}`,
      body: JSON.stringify(body),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1764763200000',
        SenderId: 'AIDAEXAMPLE',
        ApproximateFirstReceiveTimestamp: '1764763200100',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: arn('sqs', 'ingress'),
      awsRegion: REGION,
    })),
  };
}

const orders = [1, 2, 3, 4, 5].map((n) => ({ id: `order-${n}`, amount: 10 * n }));
const dlq = { [Env.deadLetterQueueUrl]: queue('ingress-dlq') };

const user = (body: string): { userFile: string } => ({ userFile: body });

/** Every kind the bench measures. */
export const HANDLER_KINDS: readonly HandlerKind[] = [
  {
    name: 'worker',
    source: user(`import { workQueue } from 'pp-patterns/runtime';
export const handler = workQueue<{ id: string; amount: number }, number>({ processItem: async (order) => order.amount * 2 });
`),
    env: { ...dlq },
    event: sqsEvent(orders),
  },
  {
    name: 'stage',
    source: user(`import { stage } from 'pp-patterns/runtime';
export const handler = stage<{ id: string; amount: number }, { id: string; total: number }>({
  processItem: async (order) => ({ id: order.id, total: order.amount * 1.2 }),
});
`),
    env: { ...dlq, [Env.nextQueueUrl]: queue('next') },
    event: sqsEvent(orders),
  },
  {
    name: 'router',
    source: { builtIn: 'functions/routing/router-handler.ts' },
    env: {
      ...dlq,
      [RoutingEnv.routerConfig]: JSON.stringify({ kind: 'split', outputs: 2, field: 'region', routes: { eu: 0, us: 1 }, defaultOutput: 0 }),
      [`${RoutingEnv.outputUrlPrefix}0`]: queue('eu'),
      [`${RoutingEnv.outputUrlPrefix}1`]: queue('us'),
    },
    event: sqsEvent(orders.map((o, i) => ({ ...o, region: i % 2 === 0 ? 'eu' : 'us' }))),
  },
  {
    name: 'marker',
    source: { builtIn: 'functions/marker-sweeper/marker-handler.ts' },
    env: { ...dlq, [MarkerSweeperEnv.flagTableName]: 'flags', [MarkerSweeperEnv.flagShards]: '4', [MarkerSweeperEnv.flagTtlSeconds]: '86400', [MarkerSweeperEnv.keyPath]: 'id' },
    event: sqsEvent(orders),
  },
  {
    name: 'sweeper',
    source: user(`import { sweeper } from 'pp-patterns/runtime';
export const handler = sweeper({ sweep: async (flags, { logger }) => { logger.info('swept', { flags: flags.length }); } });
`),
    env: {
      [MarkerSweeperEnv.flagTableName]: 'flags',
      [MarkerSweeperEnv.flagShards]: '4',
      [MarkerSweeperEnv.flagTtlSeconds]: '86400',
      [MarkerSweeperEnv.sweepBatchSize]: '25',
      [MarkerSweeperEnv.sweepMaxBatches]: '4',
      [MarkerSweeperEnv.leaseSeconds]: '60',
      [MarkerSweeperEnv.retryDelaySeconds]: '30',
      [MarkerSweeperEnv.sweepMaxAttempts]: '5',
      [MarkerSweeperEnv.deliveryQueueUrl]: queue('sweep-delivery'),
      [MarkerSweeperEnv.sweepDeadLetterQueueUrl]: queue('sweep-dlq'),
      [MarkerSweeperEnv.outstandingCountIntervalSeconds]: '60',
    },
    event: { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} },
  },
  {
    name: 'poller',
    source: user(`import { poller } from 'pp-patterns/runtime';
export const handler = poller({ checkStatus: async (items) => items.map((item) => ({ id: item.id, state: 'pending' as const })) });
`),
    env: {
      [RollingPollerEnv.watchTableName]: 'watch',
      [RollingPollerEnv.windowSize]: '100',
      [RollingPollerEnv.maxCallsPerTick]: '10',
      [RollingPollerEnv.leaseSeconds]: '60',
      [RollingPollerEnv.maxAttempts]: '20',
      [RollingPollerEnv.backoffBaseSeconds]: '5',
      [RollingPollerEnv.backoffMaxSeconds]: '300',
      [RollingPollerEnv.completionQueueUrl]: queue('completions'),
    },
    event: { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} },
  },
  {
    name: 'sparse-submitter',
    source: user(`import { sparseTaskSubmitter } from 'pp-patterns/runtime';
export const handler = sparseTaskSubmitter<{ videoKey: string }>({ start: async ({ taskId }) => ({ externalId: 'job-' + taskId }) });
`),
    env: { ...dlq, ...sparseEnv() },
    event: sqsEvent(orders.map((o) => ({ taskId: o.id, input: { videoKey: `${o.id}.mp4` } }))),
  },
  {
    name: 'sparse-completion',
    source: { builtIn: 'functions/sparse-task/completion-handler.ts' },
    env: { ...dlq, ...sparseEnv() },
    event: sqsEvent(orders.map((o) => ({ taskId: o.id, status: 'SUCCEEDED', result: { url: `s3://out/${o.id}` } }))),
  },
  {
    name: 'aggregator',
    source: user(`import { aggregator } from 'pp-patterns/runtime';
export const handler = aggregator<{ sku: string }, number>({ processBatch: async (requests) => requests.map((r) => r.sku.length) });
`),
    env: { ...dlq, [RequestAggregatorEnv.resultTableName]: 'results', [RequestAggregatorEnv.resultTtlSeconds]: '3600', [RequestAggregatorEnv.replyQueueUrl]: queue('replies') },
    event: sqsEvent(orders.map((o) => ({ requestId: `req-${o.id}`, request: { sku: o.id } }))),
  },
  {
    name: 'fan-out',
    source: user(`import { fanOutWorker } from 'pp-patterns/runtime';
export const handler = fanOutWorker({ processItem: async (doc: { key: string }) => ({ words: doc.key.length }) });
`),
    env: { [FanOutEnv.resultsTableName]: 'fan-out-results' },
    event: { work: { Items: orders.map((o, i) => ({ index: i, item: { key: o.id } })), BatchInput: { runId: 'run-1' } } },
  },
  {
    name: 'fan-out-join',
    source: user(`import { fanOutJoin } from 'pp-patterns/runtime';
export const handler = fanOutJoin({ combine: async (results) => results.length });
`),
    env: { [FanOutEnv.resultsTableName]: 'fan-out-results', [FanOutEnv.resultBucketName]: 'results-bucket', [FanOutEnv.toleratedFailureCount]: '0' },
    event: { runId: 'run-1', startedAt: '2026-12-03T12:00:00.000Z', mapError: null },
  },
  {
    name: 'reduce',
    source: user(`import { reducer } from 'pp-patterns/runtime';
export const handler = reducer<number>({ merge: (a, b) => a + b });
`),
    env: { ...dlq, [ReduceEnv.tableName]: 'reduce', [ReduceEnv.shards]: '4', [ReduceEnv.ttlSeconds]: '86400', [ReduceEnv.outputQueueUrl]: queue('aggregates') },
    event: sqsEvent(orders.map((o, i) => ({ reduceId: 'run-1', partialId: o.id, value: i, expected: 10 }))),
  },
  {
    name: 'workflow-step',
    source: user(`import { workflowStep } from 'pp-patterns/runtime';
export const handler = workflowStep<{ n: number }, number>({ run: async (input) => input.n * 2 });
`),
    env: { [ParallelWorkflowEnv.recordTableName]: 'steps', [ParallelWorkflowEnv.recordTtlSeconds]: '86400' },
    event: { step: 'double', run: arn('states', 'execution:wf:run-1'), input: { n: 21 }, results: {} },
  },
  {
    name: 'reconciler',
    source: user(`import { sourceReconciler } from 'pp-patterns/runtime';
export const handler = sourceReconciler({
  list: async () => ({ items: [1, 2, 3].map((n) => ({ id: 'item-' + n, version: String(n), body: { n } })) }),
});
`),
    env: {
      [SourceReconcilerEnv.ledgerTableName]: 'ledger',
      [SourceReconcilerEnv.outputQueueUrl]: queue('changes'),
      [SourceReconcilerEnv.leaseMs]: '60000',
      [SourceReconcilerEnv.maxItems]: '1000',
      [SourceReconcilerEnv.ttlSeconds]: '86400',
    },
    event: { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} },
  },
];

function sparseEnv(): Record<string, string> {
  return {
    [SparseTaskEnv.taskTableName]: 'tasks',
    [SparseTaskEnv.pendingShards]: '4',
    [SparseTaskEnv.retentionSeconds]: '86400',
    [SparseTaskEnv.defaultTimeoutSeconds]: '3600',
    [SparseTaskEnv.scheduleGroupName]: 'tasks',
    [SparseTaskEnv.monitorFunctionArn]: arn('lambda', 'function:monitor'),
    [SparseTaskEnv.schedulerRoleArn]: 'arn:aws:iam::123456789012:role/scheduler',
    [SparseTaskEnv.monitorDeadLetterQueueArn]: arn('sqs', 'monitor-dlq'),
    [SparseTaskEnv.schedulerRetryAttempts]: '3',
    [SparseTaskEnv.finishedQueueUrl]: queue('finished'),
  };
}

/** The anchor's environment (its table and output queue). */
export const ANCHOR_ENV: Record<string, string> = { TABLE_NAME: 'orders', OUTPUT_QUEUE_URL: queue('priced') };
/** The anchor's first event. */
export const ANCHOR_EVENT = sqsEvent(orders);
