/**
 * A Sparse Task wired on in-memory fakes and a manual clock: the submitter, the completion
 * handler and the timeout monitor share one store, one scheduler and one sink, and
 * {@link SparseTaskHarness.advanceTo} fires due timeout schedules at their own times.
 */
import { ManualClock } from '../../functions/lib/clock';
import {
  InMemoryEventSink,
  InMemoryTaskStore,
  InMemoryTimeoutScheduler,
  RecordingMetrics,
  SparseTaskCompletions,
  SparseTaskSubmitter,
  SparseTaskTimeoutMonitor,
  type StartContext,
  type StartFn,
  type TimeoutOutcome,
} from '../../functions/lib/sparse-task';

/** The start time of every harness: 2025-01-01T00:00:00Z. */
export const T0 = Date.UTC(2025, 0, 1);

/** The default task timeout of the harness: 5 minutes. */
export const TIMEOUT_MS = 5 * 60_000;

/** A wired Sparse Task on fakes. */
export interface SparseTaskHarness {
  readonly clock: ManualClock;
  readonly store: InMemoryTaskStore;
  readonly scheduler: InMemoryTimeoutScheduler;
  readonly sink: InMemoryEventSink;
  readonly metrics: RecordingMetrics;
  readonly submitter: SparseTaskSubmitter;
  readonly completions: SparseTaskCompletions;
  readonly monitor: SparseTaskTimeoutMonitor;
  /** Every call `start` received, in order. */
  readonly starts: StartContext[];
  /** Every backoff sleep between start attempts, in ms (the harness does not wait). */
  readonly sleeps: number[];
  /** Moves the clock to `t`, firing each due schedule at its own time; returns the firings. */
  advanceTo(t: number): Promise<TimeoutOutcome[]>;
}

/** Builds a harness; `start` defaults to recording the call and returning nothing. */
export function sparseTaskHarness(options: { start?: StartFn; defaultTimeoutMs?: number } = {}): SparseTaskHarness {
  const clock = new ManualClock(T0);
  const store = new InMemoryTaskStore();
  const scheduler = new InMemoryTimeoutScheduler();
  const sink = new InMemoryEventSink();
  const metrics = new RecordingMetrics();
  const starts: StartContext[] = [];
  const deps = { clock, store, scheduler, sink, metrics };
  const start: StartFn = async (task) => {
    starts.push(task);
    return options.start?.(task);
  };
  let counter = 0;
  const sleeps: number[] = [];
  const startBackoff = { sleep: async (ms: number) => void sleeps.push(ms) };
  const submitter = new SparseTaskSubmitter({ ...deps, start, startBackoff, defaultTimeoutMs: options.defaultTimeoutMs ?? TIMEOUT_MS, newCorrelationId: () => `corr-${++counter}` });
  const completions = new SparseTaskCompletions(deps);
  const monitor = new SparseTaskTimeoutMonitor(deps);
  const advanceTo = async (t: number): Promise<TimeoutOutcome[]> => {
    const outcomes: TimeoutOutcome[] = [];
    for (const schedule of scheduler.takeDue(t)) {
      clock.set(schedule.at);
      outcomes.push(await monitor.fire(schedule.payload));
    }
    clock.set(t);
    return outcomes;
  };
  return { clock, store, scheduler, sink, metrics, submitter, completions, monitor, starts, sleeps, advanceTo };
}
