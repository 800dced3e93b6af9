/**
 * The one place where infra/ and functions/ meet.
 *
 * Every string a stack writes and a handler reads (environment variable names, message
 * attribute names, metric names, table key shapes) is defined here once, so a construct and
 * the handler it deploys can never drift apart. Pure data: no AWS SDK, no aws-cdk-lib.
 */

/** Environment variables the constructs set on the functions they build. */
export const Env = {
  /** URL of the queue's dead-letter queue: poison records are sent there directly. */
  deadLetterQueueUrl: 'PP_DLQ_URL',
  /** URL of the queue a stage sends its results to (absent on the last stage). */
  nextQueueUrl: 'PP_NEXT_QUEUE_URL',
  /** How many items of one batch the handler works on at once. */
  itemConcurrency: 'PP_ITEM_CONCURRENCY',
  /** Powertools: service name used by Logger and Metrics. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  /** Powertools: CloudWatch namespace of the EMF metrics. */
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  /** Name of the DynamoDB table a handler writes to (e.g. the demo's orders table). */
  tableName: 'PP_TABLE_NAME',
} as const;

/** SQS message attributes written by the runtime (names must not start with `AWS.`/`Amazon.`). */
export const MessageAttribute = {
  /** Why a record was sent to the DLQ without being retried. */
  errorReason: 'PpErrorReason',
  /** The error class name of that reason (e.g. `PoisonRecordError`). */
  errorType: 'PpErrorType',
  /** The ARN of the queue the poison record was received from. */
  sourceQueueArn: 'PpSourceQueueArn',
  /**
   * The message ID the poison record had in its source queue: two deliveries of one message
   * parked twice name the same ID, so dead-lettered messages are counted by message.
   */
  sourceMessageId: 'PpSourceMessageId',
} as const;

/** The CloudWatch namespace every pp-patterns metric is published under. */
export const METRICS_NAMESPACE = 'PpPatterns';

/** Metric names emitted by the runtime (EMF) and read by the constructs' `metric*` methods. */
export const MetricName = {
  itemsProcessed: 'ItemsProcessed',
  itemsFailed: 'ItemsFailed',
  itemDuration: 'ItemDuration',
  poisonRecords: 'PoisonRecords',
} as const;

/** The metric dimension that tells one construct's metrics from another's. */
export const METRIC_SERVICE_DIMENSION = 'service';

/** Environment variables of the stage chain's stages and of the routing handlers. */
export const RoutingEnv = {
  /** Name of the DynamoDB table the last stage of a chain writes its results to. */
  sinkTableName: 'PP_SINK_TABLE_NAME',
  /** The sink table's key attribute names, comma-separated: partition key, then sort key if any. */
  sinkTableKeys: 'PP_SINK_TABLE_KEYS',
  /** The routing handler's configuration (JSON, no deploy-time tokens): what it does and its output names. */
  routerConfig: 'PP_ROUTER_CONFIG',
  /** Prefix of the routing handler's output queue URLs: `PP_OUTPUT_URL_0`, `PP_OUTPUT_URL_1`, … */
  outputUrlPrefix: 'PP_OUTPUT_URL_',
  /** A sharder's unhealthy shards, comma-separated shard names; their keys spill to healthy shards. */
  unhealthyShards: 'PP_UNHEALTHY_SHARDS',
} as const;

/** Metric names emitted by the routing handlers. */
export const RoutingMetricName = {
  /** Copies a routing handler sent (a copier sends one per output). */
  itemsRouted: 'ItemsRouted',
  /** Items a filtering router dropped. */
  itemsDropped: 'ItemsDropped',
  /** Items a sharder sent away from their home shard because it is unhealthy. */
  itemsSpilled: 'ItemsSpilled',
} as const;

/**
 * The routing handler's configuration, written by the routing constructs as JSON into
 * `RoutingEnv.routerConfig` and parsed by `functions/routing/router-handler.ts`. Outputs are numbered;
 * output `i` is the queue at `${RoutingEnv.outputUrlPrefix}${i}`. One shape, typed on both sides.
 */
export type RouterConfig =
  /** Splitter: the field's value picks an output; unmatched values go to `defaultOutput`. */
  | { readonly kind: 'split'; readonly outputs: number; readonly field: string; readonly routes: Readonly<Record<string, number>>; readonly defaultOutput: number }
  /** Sharder: `shards[i]` is the name of output `i`; the key field's hash picks one. */
  | { readonly kind: 'shard'; readonly outputs: number; readonly key: string; readonly shards: readonly string[] }
  /** Copier: every item to every output. */
  | { readonly kind: 'copy'; readonly outputs: number }
  /** Filter, merger: every item (that reached the handler) to output 0. */
  | { readonly kind: 'forward'; readonly outputs: 1 };

/** The demo's orders table (infra/stacks/demo-stack.ts, functions/demo/order-worker.ts). */
export const DemoOrdersTable = {
  /** Partition key attribute (string): the order id, which makes a re-delivered order overwrite itself. */
  partitionKey: 'orderId',
} as const;

/** Names of the demo stack's CloudFormation outputs, read by the CLI and the end-to-end tests. */
export const DemoOutput = {
  /** URL of the orders ingress queue (the splitter's input). */
  ordersQueueUrl: 'OrdersQueueUrl',
  /** URL of the ingress's dead-letter queue (orders the splitter could not route); every DLQ is in `deadLetterQueueUrls`. */
  ordersDeadLetterQueueUrl: 'OrdersDeadLetterQueueUrl',
  /** Name of the orders table. */
  ordersTableName: 'OrdersTableName',
  /** URLs of every dead-letter queue of the pipeline, ingress first, joined by {@link DEMO_OUTPUT_LIST_SEPARATOR}. */
  deadLetterQueueUrls: 'DeadLetterQueueUrls',
  /** URLs of every queue an order waits in on its way to the table, ingress first, joined by {@link DEMO_OUTPUT_LIST_SEPARATOR}. */
  pipelineQueueUrls: 'PipelineQueueUrls',
} as const;

/** What joins the URLs of a list output of the demo stack (a queue URL never holds a comma). */
export const DEMO_OUTPUT_LIST_SEPARATOR = ',';

/** Environment variables of the MarkerSweeper's marker and sweeper functions. */
export const MarkerSweeperEnv = {
  /** Name of the flag-set table. */
  flagTableName: 'PP_FLAG_TABLE_NAME',
  /** Write shards of the pending-flags index (integer 1–100); must never change for a table. */
  flagShards: 'PP_FLAG_SHARDS',
  /** Seconds after its last mark at which DynamoDB TTL deletes a flag that was never swept. */
  flagTtlSeconds: 'PP_FLAG_TTL_SECONDS',
  /** Dot path of the item key in an event's JSON body (`roomId`, `$.detail.room.id`). */
  keyPath: 'PP_MARK_KEY_PATH',
  /** Most flags per sweep batch (1–1,000). */
  sweepBatchSize: 'PP_SWEEP_BATCH_SIZE',
  /** Most batches one sweeper invocation takes (1–100). */
  sweepMaxBatches: 'PP_SWEEP_MAX_BATCHES',
  /** Lease of a claimed flag, in seconds. */
  leaseSeconds: 'PP_SWEEP_LEASE_SECONDS',
  /** Delay before a flag whose processing failed is due again, in seconds. */
  retryDelaySeconds: 'PP_SWEEP_RETRY_DELAY_SECONDS',
  /** URL of the queue the built-in delivering sweeper sends each flag to. */
  deliveryQueueUrl: 'PP_SWEEP_DELIVERY_QUEUE_URL',
  /** Claims after which a flag that fails again is parked in the sweeper's dead-letter queue (1–100). */
  sweepMaxAttempts: 'PP_SWEEP_MAX_ATTEMPTS',
  /** URL of the sweeper's dead-letter queue, where spent flags are parked with their last error. */
  sweepDeadLetterQueueUrl: 'PP_SWEEP_DLQ_URL',
  /** Least seconds between two full counts of the outstanding flags (0–3,600; 0 counts on every sweep). */
  outstandingCountIntervalSeconds: 'PP_SWEEP_COUNT_INTERVAL_SECONDS',
} as const;

/** The flag-set table's key shapes (DynamoDB attribute names) and its pending-flags index. */
export const FlagTable = {
  /** Partition key (string): the flagged item's key. */
  partitionKey: 'flagKey',
  /** Sparse GSI listing pending flags by shard, oldest due first. */
  pendingIndex: 'pending',
  /** The index's partition key (number): the write shard, 0 … shards−1. */
  shardAttribute: 'shard',
  /** The index's sort key (number, epoch ms): when the flag can next be claimed. */
  dueAtAttribute: 'dueAt',
  /** DynamoDB TTL attribute (epoch seconds): a safety net for flags nobody sweeps. */
  ttlAttribute: 'expiresAt',
  /** When the item was first marked (number, epoch ms); projected into the pending index for the sweep-lag metric. */
  firstMarkedAtAttribute: 'firstMarkedAt',
} as const;

/** Metric names of the MarkerSweeper (EMF, namespace {@link METRICS_NAMESPACE}). */
export const MarkerSweeperMetric = {
  /** Flags in the set (pending or leased) after a sweep (Count). */
  outstandingFlags: 'OutstandingFlags',
  /** Age of the oldest due flag when a sweep starts: the sweep lag (Seconds). */
  oldestFlagAge: 'OldestFlagAge',
  /** Marks folded into an existing flag: work saved by deduplication (Count). */
  marksCollapsed: 'MarksCollapsed',
  /** New flags created by the marker (Count). */
  flagsCreated: 'FlagsCreated',
  /** Flags processed and cleared by a sweep (Count). */
  flagsSwept: 'FlagsSwept',
  /** Flags processed but kept because they were re-marked during the sweep (Count). */
  flagsRemarked: 'FlagsRemarked',
  /** Flags whose processing failed, released for a retry (Count). */
  sweepFailures: 'SweepFailures',
  /** Flags whose lease ended before their sweep finished (Count): raise the lease. */
  leasesLost: 'LeasesLost',
  /** Flags that failed their last allowed attempt and were parked in the sweeper's DLQ (Count). */
  flagsParked: 'FlagsParked',
} as const;

/** Environment variables of the RollingPoller's poller and ingress functions. */
export const RollingPollerEnv = {
  /** Name of the watch table. */
  watchTableName: 'PP_WATCH_TABLE_NAME',
  /** Most items per status call (1–1,000). */
  windowSize: 'PP_POLL_WINDOW_SIZE',
  /** Most status calls per tick (1–1,000). */
  maxCallsPerTick: 'PP_POLL_MAX_CALLS_PER_TICK',
  /** Lease of a tick, in seconds. */
  leaseSeconds: 'PP_POLL_LEASE_SECONDS',
  /** Consecutive failed checks after which an item is given up (1–100). */
  maxAttempts: 'PP_POLL_MAX_ATTEMPTS',
  /** Back-off after an item's first failed check, in seconds (doubles per failure). */
  backoffBaseSeconds: 'PP_POLL_BACKOFF_BASE_SECONDS',
  /** Longest back-off, in seconds. */
  backoffMaxSeconds: 'PP_POLL_BACKOFF_MAX_SECONDS',
  /** URL of the queue completion events are sent to (set this or the bus name). */
  completionQueueUrl: 'PP_COMPLETION_QUEUE_URL',
  /** Name of the EventBridge bus completion events are put on (set this or the queue URL). */
  completionBusName: 'PP_COMPLETION_BUS_NAME',
} as const;

/** The watch table's key shapes (DynamoDB attribute names). */
export const WatchTable = {
  /** Partition key (string): the watched item's id. */
  partitionKey: 'id',
  /** The id of the poller's own cursor item in the table; never used for a watched item. */
  cursorId: '#pp-rolling-poller-cursor',
} as const;

/** A message on the RollingPoller's ingress queue (JSON body). */
export type WatchCommand =
  /** Start polling `id`; `data` is stored with it and handed to the status function. */
  | { readonly action: 'watch'; readonly id: string; readonly data?: unknown }
  /** Stop polling `id` (no completion event is emitted). */
  | { readonly action: 'unwatch'; readonly id: string };

/** How RollingPoller completion events appear on EventBridge. */
export const CompletionEventBridge = {
  /** The events' `source`. */
  source: 'pp-patterns.rolling-poller',
  /** The events' `detail-type`; the detail is the completion event. */
  detailType: 'Watched Item Completed',
} as const;

/** Metric names of the RollingPoller (EMF, namespace {@link METRICS_NAMESPACE}). */
export const RollingPollerMetric = {
  /** Items in the rotation, counted over the last full pass (Count). */
  activeItems: 'ActiveItems',
  /** Status calls made by one tick (Count). */
  pollsPerTick: 'PollsPerTick',
  /** Items checked by one tick (Count). */
  itemsPolled: 'ItemsPolled',
  /** Items that finished and left the rotation (Count). */
  itemsCompleted: 'ItemsCompleted',
  /** Items given up after too many failed checks (Count). */
  itemsGivenUp: 'ItemsGivenUp',
  /** Failed item checks (Count). */
  statusCheckErrors: 'StatusCheckErrors',
  /** Time from an item being watched to its completion (Seconds). */
  completionLag: 'CompletionLag',
} as const;

/** Environment variables of the SparseTask functions (submitter, completion handler, timeout monitor, gauge). */
export const SparseTaskEnv = {
  /** Name of the task table. */
  taskTableName: 'PP_TASK_TABLE_NAME',
  /** Write shards of the pending-tasks index (integer 1–100); must never change for a table. */
  pendingShards: 'PP_TASK_PENDING_SHARDS',
  /** Seconds a finished task's record is kept before DynamoDB TTL deletes it (the re-submission dedup window). */
  retentionSeconds: 'PP_TASK_RETENTION_SECONDS',
  /** Timeout of a submission that names none, in seconds. */
  defaultTimeoutSeconds: 'PP_TASK_TIMEOUT_SECONDS',
  /** Name of the EventBridge Scheduler group the one-time timeout schedules are created in. */
  scheduleGroupName: 'PP_TASK_SCHEDULE_GROUP',
  /** ARN of the timeout monitor function, the schedules' target. */
  monitorFunctionArn: 'PP_TASK_MONITOR_ARN',
  /** ARN of the role EventBridge Scheduler assumes to invoke the monitor. */
  schedulerRoleArn: 'PP_TASK_SCHEDULER_ROLE_ARN',
  /** ARN of the queue a schedule sends its input to when it cannot invoke the monitor. */
  monitorDeadLetterQueueArn: 'PP_TASK_MONITOR_DLQ_ARN',
  /** Retries of a schedule's invocation of the monitor (0–185) before its input goes to that queue. */
  schedulerRetryAttempts: 'PP_TASK_SCHEDULER_RETRY_ATTEMPTS',
  /** URL of the queue task-finished events are sent to (set this or the bus name). */
  finishedQueueUrl: 'PP_TASK_FINISHED_QUEUE_URL',
  /** Name of the EventBridge bus task-finished events are put on (set this or the queue URL). */
  finishedBusName: 'PP_TASK_FINISHED_BUS_NAME',
} as const;

/** The task table's key shapes (DynamoDB attribute names) and its pending-tasks index. */
export const TaskTable = {
  /** Partition key (string): the task id. */
  partitionKey: 'taskId',
  /** Sparse GSI listing PENDING tasks by shard, earliest deadline first (a batch poller's work list). */
  pendingIndex: 'pending',
  /** The index's partition key (number): the write shard, 0 … shards−1; removed when the task finishes. */
  shardAttribute: 'pendingShard',
  /** The index's sort key (number, epoch ms): the task's deadline. */
  deadlineAttribute: 'deadline',
  /** DynamoDB TTL attribute (epoch seconds): set when the task finishes. */
  ttlAttribute: 'expiresAt',
} as const;

/** How SparseTask finished events appear on EventBridge. */
export const SparseTaskEventBridge = {
  /** The events' `source`. */
  source: 'pp-patterns.sparse-task',
  /** The events' `detail-type`; the detail is the finished event. */
  detailType: 'Sparse Task Finished',
} as const;

/** Metric names of the SparseTask (EMF, namespace {@link METRICS_NAMESPACE}). */
export const SparseTaskMetric = {
  /** Tasks accepted and started (Count). */
  tasksSubmitted: 'TasksSubmitted',
  /** Tasks that ended SUCCEEDED (Count). */
  tasksSucceeded: 'TasksSucceeded',
  /** Tasks that ended FAILED, a failed `start` included (Count). */
  tasksFailed: 'TasksFailed',
  /** Tasks that ended TIMED_OUT (Count). */
  tasksTimedOut: 'TasksTimedOut',
  /** Tasks PENDING right now, published by the gauge function (Count). */
  pendingTasks: 'PendingTasks',
  /** Time from submission to the terminal status, per finished task (Milliseconds). */
  completionLatency: 'CompletionLatency',
  /** Completions that came at or after the deadline, kept as LATE (Count). */
  lateCompletions: 'LateCompletions',
  /** Completions for a task another completion had already finished (Count). */
  duplicateCompletions: 'DuplicateCompletions',
  /** Timeout monitor firings for a task that had already finished (Count). */
  staleTimeouts: 'StaleTimeouts',
} as const;

/**
 * A Lambda event-filtering pattern over an SQS message body: field names mapping to nested
 * patterns or to arrays of rules (OR within an array, AND across fields). The routing
 * constructs put it into an event source mapping's filter criteria as `{ body: pattern }`;
 * the runtime's matcher evaluates the same shape.
 */
export type FilterPattern = { readonly [field: string]: FilterPattern | readonly FilterRule[] };

/** One rule of a filter pattern's rule array (Lambda event-filtering syntax). */
export type FilterRule =
  | string
  | number
  | boolean
  | null
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly 'equals-ignore-case': string }
  | { readonly 'anything-but': string | number | readonly (string | number)[] | { readonly prefix: string } }
  | { readonly numeric: readonly (string | number)[] }
  | { readonly exists: boolean };

/**
 * Input of every scheduled invocation (EventBridge rule target or Step Functions Wait loop), so
 * a handler can tell a scheduled run from a test call.
 */
export const SCHEDULED_INPUT = { source: 'pp-patterns.schedule' } as const;

/** Environment variables of the RequestAggregator's aggregator function. */
export const RequestAggregatorEnv = {
  /** Name of the results table, where each answer is put under its request id. */
  resultTableName: 'PP_RESULT_TABLE_NAME',
  /** How long an answer stays in the results table, in seconds (DynamoDB TTL). */
  resultTtlSeconds: 'PP_RESULT_TTL_SECONDS',
  /** URL of the reply queue each answer is also sent to (absent: no replies). */
  replyQueueUrl: 'PP_REPLY_QUEUE_URL',
} as const;

/** The RequestAggregator's results table: one item per answered request. */
export const ResultTable = {
  /** Partition key (string): the request id, which is also the idempotency key. */
  partitionKey: 'requestId',
  /** Epoch seconds after which DynamoDB TTL deletes the answer. */
  ttlAttribute: 'expiresAt',
} as const;

/** Metric names emitted by the aggregator function. */
export const RequestAggregatorMetric = {
  /** Calls of the user's batch function (backend calls). */
  backendCalls: 'BackendCalls',
  /** Requests answered (a value or a per-request error). */
  requestsAnswered: 'RequestsAnswered',
  /** Requests not sent to the backend because their id was already answered or repeated in the batch. */
  duplicateRequests: 'DuplicateRequests',
} as const;

/** The body of one request message on a RequestAggregator's ingress. */
export interface AggregatorRequestMessage<Req = unknown> {
  /** The request id: 1–255 characters; two requests with one id are answered once. */
  readonly requestId: string;
  /** The request, as the user's batch function receives it. */
  readonly request: Req;
}

/** One answer in the results table (and the body of a reply message). */
export interface AggregatorResultItem<Res = unknown> {
  /** The request id. */
  readonly requestId: string;
  /** `ok`: `result` holds the value; `error`: the batch function answered this request with an error. */
  readonly status: 'ok' | 'error';
  /** The value, when `status` is `ok`. */
  readonly result?: Res;
  /** The error message, when `status` is `error`. */
  readonly error?: string;
  /** The error's class name, when `status` is `error`. */
  readonly errorType?: string;
  /** When it was answered, epoch ms. */
  readonly answeredAt: number;
  /** TTL, epoch seconds. */
  readonly expiresAt: number;
}
/** Environment of the FanOutFanIn worker and join functions. */
export const FanOutEnv = {
  /** Name of the results table (partition key `runId`, sort key `key`). */
  resultsTableName: 'PP_FAN_OUT_RESULTS_TABLE',
  /** Bucket the join writes the report and the combined result to. */
  resultBucketName: 'PP_FAN_OUT_RESULT_BUCKET',
  /** The tolerated failed items as a count (absent: not applied). */
  toleratedFailureCount: 'PP_FAN_OUT_TOLERATED_FAILURE_COUNT',
  /** The tolerated failed items in percent (absent: not applied). */
  toleratedFailurePercentage: 'PP_FAN_OUT_TOLERATED_FAILURE_PERCENTAGE',
  /** The ingress of the Reduce the worker sends each valid item's partial to, and the join the run's count (absent: no Reduce). */
  reduceQueueUrl: 'PP_FAN_OUT_REDUCE_QUEUE_URL',
} as const;

/** Metric names the FanOutFanIn worker publishes as items settle (its progress). */
export const FanOutMetric = {
  succeeded: 'FanOutItemsSucceeded',
  failed: 'FanOutItemsFailed',
  invalid: 'FanOutItemsInvalid',
  failedAttempts: 'FanOutFailedAttempts',
} as const;
/** Environment variables of the ParallelWorkflow's coordinator and of steps built with `workflowStep()`. */
export const ParallelWorkflowEnv = {
  /** Name of the run's step-record table. */
  recordTableName: 'PP_WORKFLOW_TABLE_NAME',
  /** Seconds a step record lives before DynamoDB TTL deletes it. */
  recordTtlSeconds: 'PP_WORKFLOW_RECORD_TTL_SECONDS',
} as const;

/** Key shape of the ParallelWorkflow's step-record table (`functions/lib/aws/step-record-store.ts`). */
export const StepRecordTable = {
  /** Partition key (S): the execution ARN. */
  partitionKey: 'run',
  /** Sort key (S): the step id, or `<step id>#<n>` for a record's further parts. */
  sortKey: 'step',
  /** The record's JSON (or one part of it). */
  bodyAttribute: 'body',
  /** How many parts the record has. */
  partsAttribute: 'parts',
  /** TTL attribute (epoch seconds). */
  ttlAttribute: 'expiresAt',
} as const;

/** Environment variables of the Reduce's reducer. */
export const ReduceEnv = {
  /** Name of the aggregate table. */
  tableName: 'PP_REDUCE_TABLE_NAME',
  /** Shards per aggregation (never change it while aggregations are open). */
  shards: 'PP_REDUCE_SHARDS',
  /** The ready-made merge of the built-in reducer: `sum`, `count`, `histogram`, `topK:<k>`. */
  merge: 'PP_REDUCE_MERGE',
  /** Seconds an aggregation's items live (TTL). */
  ttlSeconds: 'PP_REDUCE_TTL_SECONDS',
  /** URL of the queue told about each final aggregate (optional). */
  outputQueueUrl: 'PP_REDUCE_OUTPUT_QUEUE_URL',
} as const;

/** Key shape of the Reduce's aggregate table (`functions/lib/aws/reduce-store.ts`). */
export const ReduceTable = {
  /** Partition key (S): the aggregation id (`reduceId`). */
  partitionKey: 'reduceId',
  /** Sort key (S): `shard#<n>`, `expected`, `final`, `final#<n>` (further parts). */
  sortKey: 'item',
  /** JSON body of the item. */
  bodyAttribute: 'body',
  /** Optimistic-concurrency version of a shard. */
  versionAttribute: 'version',
  /** Partials merged into a shard (a copy of its applied list's length, for cheap completeness checks). */
  countAttribute: 'merged',
  /** Parts of the final aggregate's JSON. */
  partsAttribute: 'parts',
  /** TTL attribute (epoch seconds). */
  ttlAttribute: 'expiresAt',
} as const;

/** Metric names of the Reduce's reducer. */
export const ReduceMetric = {
  partialsMerged: 'PartialsMerged',
  duplicatesSkipped: 'DuplicatePartialsSkipped',
  aggregatesFinalized: 'AggregatesFinalized',
} as const;

/** Environment variables of the SourceReconciler's function. */
export const SourceReconcilerEnv = {
  /** Name of the ledger table. */
  ledgerTableName: 'PP_RECONCILER_LEDGER_TABLE',
  /** URL of the work queue items are sent to. */
  outputQueueUrl: 'PP_RECONCILER_OUTPUT_URL',
  /** Milliseconds a claim holds before another run may take the item over. */
  leaseMs: 'PP_RECONCILER_LEASE_MS',
  /** Items listed per run at most. */
  maxItems: 'PP_RECONCILER_MAX_ITEMS',
  /** Seconds a ledger record lives (TTL). */
  ttlSeconds: 'PP_RECONCILER_TTL_SECONDS',
  /** The built-in source (JSON, no deploy-time tokens besides names): see `SourceConfig`. */
  source: 'PP_RECONCILER_SOURCE',
} as const;

/** Key shape of the SourceReconciler's ledger table. */
export const LedgerTable = {
  /** Partition key (S): the item id, `#version` appended when it has one. */
  partitionKey: 'key',
  /** `claimed` or `enqueued`. */
  stateAttribute: 'state',
  /** End of a claim's lease (epoch ms). */
  leaseAttribute: 'leaseUntil',
  /** TTL attribute (epoch seconds). */
  ttlAttribute: 'expiresAt',
} as const;

/** The built-in sources of the SourceReconciler. */
export type SourceConfig =
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string }
  | { readonly kind: 'dynamodb'; readonly table: string; readonly indexName?: string; readonly partitionKey: string; readonly partitionValue: string; readonly idAttribute: string; readonly versionAttribute?: string };
