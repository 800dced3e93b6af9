/**
 * Drives a local run end to end: send the items, wait until every item is done or parked in
 * a dead-letter queue (or the pipeline went idle, or the time ran out), and report.
 */
import type { SendMessageBatchCommandInput, SendMessageBatchCommandOutput } from '@aws-sdk/client-sqs';
import type { AccountingReport } from '../accounting/report';
import type { LocalRuntime } from '../local-runtime';
import { SkippingClock } from '../../scheduling/skipping-clock';
import { SettleTimeoutError } from '../errors';
import { LocalAwsClient } from '../gateway/local-client';
import { ProgressReporter } from './progress';
import { sendAll } from './send';

/** The longest wait for running invocations once every item is accounted for. */
const SETTLE_BEFORE_REPORT_MS = 30_000;

/** Counting may take at most about 1 / COUNT_DUTY of the time while the stack is busy (a 10,000-item table scan costs ~0.1 s). */
const COUNT_DUTY = 20;

/** Options of {@link runToCompletion}. */
export interface RunOptions {
  readonly runtime: LocalRuntime;
  /** The ingress queue URL (at the gateway). */
  readonly queueUrl: string;
  readonly bodies: readonly string[];
  /** Items done so far, as the caller defines done. */
  readonly countDone: () => Promise<number>;
  /**
   * Distinct items parked and not done (accounting/parked.ts).
   * @default - distinct bodies in the dead-letter queues
   */
  readonly countDeadLettered?: () => Promise<number>;
  /** Give up waiting after this many seconds. @default 300 */
  readonly timeoutSeconds?: number;
  /** Seconds between done/dlq counts. @default 0.25 */
  readonly pollSeconds?: number;
  /** Shows progress on stderr. @default - a ProgressReporter on stderr */
  readonly progress?: ProgressReporter;
  /**
   * When the stack is idle but timers are pending (schedules, Wait states, a sweeper's next
   * run), how much clock time without progress to skip through before calling the run over
   * (needs a {@link SkippingClock} as the runtime's clock; otherwise idle ends the run). Messages
   * waiting out a visibility timeout or a delay are skipped to whatever this horizon.
   * @default 900
   */
  readonly idleHorizonSeconds?: number;
}

/** The report, and whether the run finished before the timeout. */
export interface RunResult {
  readonly report: AccountingReport;
  readonly timedOut: boolean;
}

/** Sends, waits, reports. */
export async function runToCompletion(options: RunOptions): Promise<RunResult> {
  const { runtime } = options;
  const progress = options.progress ?? new ProgressReporter();
  const total = options.bodies.length;
  const state = { sent: 0, done: 0, deadLettered: 0, total };
  const countDeadLettered = options.countDeadLettered ?? (() => runtime.deadLetteredItems());
  const startedAt = Date.now();
  // In process, as the driver: counted and authorized at the gateway like an SDK's requests,
  // without an SDK client and an HTTP round trip per batch on the thread the stack runs on.
  const driver = new LocalAwsClient(runtime.gateway, runtime.driverCredentials().accessKeyId, runtime.region);
  const client = { sendMessageBatch: (input: SendMessageBatchCommandInput) => driver.call<SendMessageBatchCommandOutput>('sqs', 'SendMessageBatch', input) };
  await sendAll({ client, queueUrl: options.queueUrl, bodies: options.bodies, onProgress: (sent) => progress.update({ ...state, sent }) });
  state.sent = total;
  const deadline = startedAt + (options.timeoutSeconds ?? 300) * 1000;
  let timedOut = true;
  const clock = runtime.clock;
  let progressAt = { settled: -1, at: clock.now() };
  const pollMs = (options.pollSeconds ?? 0.25) * 1000;
  // Counting is a full scan in most stacks (a table's items, every DLQ's messages): its cost
  // grows with the items done, so counting every poll would take ever more of the process the
  // stack runs in. Between counts, wait COUNT_DUTY times the last count's duration; a stack
  // idle or waiting for its clock is counted at once, so the end of a run is seen without that wait.
  let countedAt = -Infinity;
  let countMs = 0;
  while (Date.now() < deadline) {
    const skipping = clock instanceof SkippingClock;
    // Nothing runs but what waits for the clock (or nothing at all): count now, then skip or end.
    const waiting = skipping ? await runtime.waitsForClock() : await runtime.isIdle();
    if (waiting || Date.now() - countedAt >= Math.max(pollMs, COUNT_DUTY * countMs)) {
      const started = Date.now();
      state.done = await options.countDone();
      state.deadLettered = await countDeadLettered();
      countedAt = Date.now();
      countMs = countedAt - started;
      progress.update(state);
      if (state.done + state.deadLettered > progressAt.settled) progressAt = { settled: state.done + state.deadLettered, at: clock.now() };
      if (state.done + state.deadLettered >= total) {
        timedOut = false;
        break;
      }
    }
    if (waiting) {
      const idle = !skipping || (await runtime.isIdle());
      const next = skipping ? await runtime.nextDueAt() : undefined;
      // Messages waiting out a visibility timeout or delay are work left: skipped to whatever the horizon.
      if (idle && (next === undefined || next - progressAt.at > (options.idleHorizonSeconds ?? 900) * 1000)) {
        timedOut = false;
        break;
      }
      if (next !== undefined) {
        // Nothing runs until the next timer: skip to it (timer by timer, settling in between).
        await (clock as SkippingClock).skipWith(() => runtime.advanceClock(Math.max(0, next - clock.now()), { timeoutMs: Math.max(1, deadline - Date.now()) }));
        continue;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  // Invocations still running when the counts add up (a message dead-lettered while its first
  // invocation is still loading) decide the errors the summary shows: let them end first.
  await runtime.settle({ timeoutMs: Math.max(1000, Math.min(SETTLE_BEFORE_REPORT_MS, deadline - Date.now())) }).catch((err: unknown) => {
    if (!(err instanceof SettleTimeoutError)) throw err;
  });
  state.done = await options.countDone();
  state.deadLettered = await countDeadLettered();
  progress.finish(state);
  return { report: await runtime.report({ itemsIn: total, done: state.done, deadLettered: state.deadLettered, startedAt }), timedOut };
}
