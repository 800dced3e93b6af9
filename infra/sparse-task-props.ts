import { Duration } from 'aws-cdk-lib';
import { EventPattern, IEventBus } from 'aws-cdk-lib/aws-events';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { IQueue } from 'aws-cdk-lib/aws-sqs';

/** Props of {@link SparseTask}. Give exactly one of `submitterEntry` or `submitterHandler`. */
export interface SparseTaskProps {
  /**
   * Path of your submitter's handler file, written with the runtime's `sparseTaskSubmitter({ start })`
   * and bundled with esbuild. It is fed by the submission queue.
   *
   * @default - none; give `submitterEntry` or `submitterHandler`
   */
  readonly submitterEntry?: string;
  /**
   * An existing submitter function (built with `sparseTaskSubmitter`). When it is a `Function` of
   * this app it gets the task settings as environment variables; an imported one must read them
   * itself (`SparseTaskEnv` in the contract).
   *
   * @default - none; give `submitterEntry` or `submitterHandler`
   */
  readonly submitterHandler?: IFunction;
  /**
   * Extra environment variables of the submitter built from `submitterEntry` (not the
   * construct's own `PP_TASK_*` variables).
   *
   * @default - only the variables the construct sets
   */
  readonly submitterEnvironment?: Record<string, string>;
  /**
   * Submitter timeout (1–900 seconds): the time `start` may take for one batch, never the task's.
   *
   * @default Duration.seconds(30)
   */
  readonly submitterTimeout?: Duration;
  /**
   * Submitter memory in MB (128–10,240). Only with `submitterEntry`.
   *
   * @default 512
   */
  readonly submitterMemorySize?: number;
  /**
   * Submissions per submitter invocation (1–10).
   *
   * @default 10
   */
  readonly submitterBatchSize?: number;
  /**
   * Concurrent submitter invocations (2–1,000): caps how fast tasks are started on the external system.
   *
   * @default - no cap
   */
  readonly submitterMaxConcurrency?: number;
  /**
   * How long a task may run before it times out (60 seconds–365 days, whole seconds). A
   * submission may name its own `timeoutSeconds`.
   *
   * @default Duration.minutes(15)
   */
  readonly taskTimeout?: Duration;
  /**
   * How long a finished task's record is kept (1 hour–10 years): a task id re-submitted within
   * this window is not started again. DynamoDB TTL deletes the record afterwards.
   *
   * @default Duration.days(30)
   */
  readonly recordRetention?: Duration;
  /**
   * Write shards of the table's sparse pending-tasks index (1–100). Each shard takes about 500
   * task submissions per second (two index writes per task). Never change it on a live table.
   *
   * @default 4
   */
  readonly pendingIndexShards?: number;
  /**
   * A queue you bring as the completion ingress (the external system sends completions there).
   * Excludes `completionMaxReceiveCount`.
   *
   * @default - a new queue with SQS-managed encryption, TLS-only policy and a dead-letter queue
   */
  readonly completionQueue?: IQueue;
  /**
   * The dead-letter queue of a brought `completionQueue`, where completions that can never apply
   * (malformed JSON, wrong shape, unknown task, foreign correlation id) are sent with the reason.
   * Only with `completionQueue`.
   *
   * @default - the brought queue's own dead-letter queue if it is a `Queue` of this app, else none
   */
  readonly completionDeadLetterQueue?: IQueue;
  /**
   * Receives of a completion before the created completion queue moves it to its DLQ (1–1,000).
   *
   * @default 3
   */
  readonly completionMaxReceiveCount?: number;
  /**
   * Completions per handler invocation (1–10).
   *
   * @default 10
   */
  readonly completionBatchSize?: number;
  /**
   * Concurrent completion handler invocations (2–1,000).
   *
   * @default - no cap
   */
  readonly completionMaxConcurrency?: number;
  /**
   * EventBridge events that are completions: a rule forwards them to the completion queue, and
   * the handler reads each event's `detail` as the completion.
   *
   * @default - no rule: completions arrive on the queue only
   */
  readonly completionEventPattern?: EventPattern;
  /**
   * The bus `completionEventPattern` is matched on. Needs `completionEventPattern`.
   *
   * @default - the account's default event bus
   */
  readonly completionEventBus?: IEventBus;
  /**
   * The standard (not FIFO) queue finished events go to (you consume it). Excludes `finishedBus`.
   *
   * @default - a new queue with SQS-managed encryption, TLS-only policy and a dead-letter queue
   */
  readonly finishedQueue?: IQueue;
  /**
   * An event bus finished events are put on instead of a queue (source `pp-patterns.sparse-task`,
   * detail-type `Sparse Task Finished`). Excludes `finishedQueue`.
   *
   * @default - finished events go to a queue
   */
  readonly finishedBus?: IEventBus;
  /**
   * Retries of a timeout schedule's invocation of the monitor (0–185) before its input goes to
   * the monitor dead-letter queue.
   *
   * @default 185
   */
  readonly schedulerRetryAttempts?: number;
  /**
   * Publish the `PendingTasks` metric from a scheduled gauge function.
   *
   * @default true
   */
  readonly pendingGauge?: boolean;
  /**
   * How often the gauge counts the pending tasks (1–60 minutes, whole minutes). Not with `pendingGauge: false`.
   *
   * @default Duration.minutes(1)
   */
  readonly pendingGaugeInterval?: Duration;
  /**
   * Powertools service name of every function of this construct: the `service` dimension the
   * `metric*` methods read.
   *
   * @default - this construct's path, e.g. `Demo/Transcodes`
   */
  readonly serviceName?: string;
}
