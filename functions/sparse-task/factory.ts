/**
 * The Sparse Task handler factories, wired to DynamoDB, EventBridge Scheduler and SQS or
 * EventBridge: the user's submitter (`sparseTaskSubmitter({ start })`) and the three built-in
 * handlers the construct deploys (completion handler, timeout monitor, pending-task gauge).
 * Call them at module scope: settings are read and clients built once per process.
 */
import middy, { type MiddyfiedHandler } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SparseTaskMetric } from '../contract';
import { ConfigError, PoisonRecordError } from '../lib/errors';
import { scheduledHandler } from '../lib/scheduled-handler';
import { SparseTaskCompletions, type TaskCompletionEvent } from '../lib/sparse-task/completion';
import { emfTaskMetrics } from '../lib/sparse-task/emf-metrics';
import { parseCompletion, parseSubmission, parseTimeoutPayload } from '../lib/sparse-task/parse';
import { SparseTaskSubmitter, type StartFn, type TaskSubmission } from '../lib/sparse-task/submitter';
import { SparseTaskTimeoutMonitor, type TimeoutOutcome } from '../lib/sparse-task/timeout-monitor';
import { quote, unknownKeyViolations } from '../lib/validate';
import type { WorkQueueHandler } from '../lib/work-queue/handler';
import { readDefaultTimeoutMs } from '../lib/sparse-task/env';
import {
  armingSchedulerOf, cancellingSchedulerOf, envOf, RUNTIME_OPTION_KEYS, sinkOf, storeOf, telemetryOf, type SparseTaskRuntimeOptions,
} from './aws-wiring';
import { workQueue } from '../work-queue/factory';

/** Options of {@link sparseTaskSubmitter}. */
export interface SparseTaskSubmitterOptions<I> extends SparseTaskRuntimeOptions {
  /** Kicks off the external work for one task; must return without waiting for the work to finish. */
  readonly start: StartFn<I>;
  /** Checks and converts a submission's `input`; throwing makes the submission poison. @default - the input as is */
  readonly parseInput?: (input: unknown) => I;
  /** Timeout of a submission that names none, in ms (60 s–365 days). @default - env PP_TASK_TIMEOUT_SECONDS */
  readonly defaultTimeoutMs?: number;
  /** Submissions of one batch handled at once (1–1,000). @default - env PP_ITEM_CONCURRENCY, else 10 */
  readonly itemConcurrency?: number;
  /**
   * Calls of `start` for one task while it throws retryable errors (throttling, 5xx, network),
   * the first included (1–10). Retries call `start` again with the same `taskId`: make it
   * idempotent on it. A start still failing after these is ambiguous: the task stays PENDING.
   *
   * @default 3
   */
  readonly startMaxAttempts?: number;
}

/**
 * Builds the submitter: an SQS-triggered handler that submits each `{ taskId, input?,
 * timeoutSeconds?, correlationId? }` message — arms its timeout, writes its PENDING record, calls
 * `start` once per task id — and returns a partial batch response.
 *
 * ```ts
 * export const handler = sparseTaskSubmitter<{ videoKey: string }>({
 *   start: async ({ taskId, correlationId, input }) => {
 *     const job = await transcoder.createJob({ key: input!.videoKey, token: correlationId, idempotencyKey: taskId });
 *     return { externalId: job.id };
 *   },
 * });
 * ```
 *
 * @throws ConfigError naming every bad option or environment variable
 */
export function sparseTaskSubmitter<I = unknown>(options: SparseTaskSubmitterOptions<I>): WorkQueueHandler {
  const { logger, metrics, clock } = telemetryOf(options);
  const deps = gather(options, ['start', 'parseInput', 'defaultTimeoutMs', 'itemConcurrency', 'startMaxAttempts'], {
    store: () => storeOf(options), scheduler: () => armingSchedulerOf(options), sink: () => sinkOf(options),
    defaultTimeoutMs: () => options.defaultTimeoutMs ?? readDefaultTimeoutMs(envOf(options)),
    start: () => {
      if (typeof options.start !== 'function') throw new ConfigError([`start must be a function, got ${quote(options.start)}`]);
      return options.start;
    },
  });
  const startRetry = options.startMaxAttempts === undefined ? {} : { startMaxAttempts: options.startMaxAttempts };
  const submitter = new SparseTaskSubmitter<I>({ ...deps, ...startRetry, clock, metrics: emfTaskMetrics(metrics) });
  const parseInput = options.parseInput;
  return workQueue<TaskSubmission<I>, string>({
    bodyFormat: 'text',
    parse: (body) => {
      const submission = parseSubmission(body as string);
      if (!parseInput || submission.input === undefined) return submission as TaskSubmission<I>;
      return { ...submission, input: asPoison(() => parseInput(submission.input)) };
    },
    processItem: async (submission) => {
      const outcome = await submitter.submit(submission);
      if (outcome.kind === 'START_UNCERTAIN') {
        logger.warn('start kept failing with retryable errors: the task stays PENDING until its completion or its deadline', { taskId: submission.taskId, error: outcome.error });
      }
      return outcome.kind;
    },
    logger, metrics, env: envOf(options),
    ...(options.itemConcurrency === undefined ? {} : { itemConcurrency: options.itemConcurrency }),
  });
}

/**
 * Builds the completion handler: an SQS-triggered handler applying each completion message
 * (bare, or an EventBridge event whose `detail` is one) to its task.
 *
 * @throws ConfigError naming every bad option or environment variable
 */
export function sparseTaskCompletionHandler(options: SparseTaskRuntimeOptions = {}): WorkQueueHandler {
  const { logger, metrics, clock } = telemetryOf(options);
  const deps = gather(options, [], { store: () => storeOf(options), scheduler: () => cancellingSchedulerOf(options), sink: () => sinkOf(options) });
  const completions = new SparseTaskCompletions({ ...deps, clock, metrics: emfTaskMetrics(metrics) });
  return workQueue<TaskCompletionEvent, string>({
    bodyFormat: 'text',
    parse: (body, record) => parseCompletion(body as string, record.messageId),
    processItem: async (event) => (await completions.handle(event)).kind,
    logger, metrics, env: envOf(options),
  });
}

/** What the timeout monitor returns (visible in the invocation's result). */
export type TimeoutMonitorResult = { readonly kind: TimeoutOutcome['kind'] };

/**
 * Builds the timeout monitor: the target of every one-time timeout schedule (invoked
 * asynchronously with `{ taskId }`). Every error is thrown, a malformed payload's
 * PoisonRecordError included: after Lambda's two retries the monitor's on-failure destination
 * (the monitor dead-letter queue) gets the payload with the error message, the reason it failed.
 *
 * @throws ConfigError naming every bad option or environment variable
 */
export function sparseTaskTimeoutMonitor(options: SparseTaskRuntimeOptions = {}): MiddyfiedHandler<unknown, TimeoutMonitorResult> {
  const { logger, metrics, clock } = telemetryOf(options);
  const deps = gather(options, [], { store: () => storeOf(options), scheduler: () => cancellingSchedulerOf(options), sink: () => sinkOf(options) });
  const monitor = new SparseTaskTimeoutMonitor({ ...deps, clock, metrics: emfTaskMetrics(metrics) });
  return middy<unknown, TimeoutMonitorResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      const payload = parseTimeoutPayload(event);
      const outcome = await monitor.fire(payload);
      logger.info('Timeout monitor fired', { taskId: payload.taskId, outcome: outcome.kind });
      return { kind: outcome.kind };
    });
}

/**
 * Builds the pending-task gauge: a scheduled handler that counts the PENDING tasks (the sparse
 * `pending` index) and publishes the count as the `PendingTasks` metric.
 *
 * @throws ConfigError naming every bad option or environment variable
 */
export function sparseTaskPendingGauge(options: SparseTaskRuntimeOptions = {}): MiddyfiedHandler<unknown, { readonly pending: number }> {
  const { logger, metrics } = telemetryOf(options);
  const { store } = gather(options, [], { store: () => storeOf(options) });
  return scheduledHandler(logger, metrics, async () => {
    const pending = await store.countPending();
    metrics.addMetric(SparseTaskMetric.pendingTasks, MetricUnit.Count, pending);
    return { pending };
  });
}

/**
 * Checks option keys and runs every builder, so one ConfigError names every unknown key and every
 * missing or bad environment variable at once.
 */
function gather<T extends Record<string, unknown>>(options: object, extraKeys: readonly string[], builders: { [K in keyof T]: () => T[K] }): T {
  const violations = unknownKeyViolations('sparseTask', options, [...RUNTIME_OPTION_KEYS, ...extraKeys]);
  const built: Partial<T> = {};
  for (const key of Object.keys(builders) as Array<keyof T>) {
    try {
      built[key] = builders[key]();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      violations.push(...error.violations.filter((violation) => !violations.includes(violation)));
    }
  }
  if (violations.length > 0) throw new ConfigError(violations);
  return built as T;
}

function asPoison<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new PoisonRecordError(`invalid submission input: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
