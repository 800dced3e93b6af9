/**
 * Simulates N long-running tasks two ways on one virtual clock, with one seeded workload:
 * - Sparse Task: the real submitter, completion handler and timeout monitor on the in-memory
 *   store and scheduler (same conditional semantics as DynamoDB and EventBridge Scheduler);
 * - the naive baseline: one worker per task that starts it, then sleeps and polls every
 *   interval until the task completes or its timeout passes.
 *
 * Requests are counted the same way for both (model in {@link SimReport.requests}); worker
 * time held is virtual time between a worker's (or handler's) start and end.
 *
 * Its figures are not bench figures: the simulation backs the protocol test at scale
 * (test/functions/sparse-task-simulation.test.ts), while `npm run bench -- sparse-task` runs the
 * synthesized construct on the local runtime and measures its billed worker time.
 */
import {
  InMemoryEventSink, InMemoryTaskStore, InMemoryTimeoutScheduler, RecordingMetrics, SparseTaskCompletions, SparseTaskSubmitter,
  SparseTaskTimeoutMonitor, type CompletionStatus, type TaskFinishedEvent, type TaskRecord, type TimeoutScheduler,
} from '../functions/lib/sparse-task';
import { EventLoop, seededRandom } from './event-loop';

/** The workload and fault knobs of a simulation. */
export interface SimOptions {
  /** Tasks submitted. @default 10_000 */
  readonly tasks?: number;
  /** Share of tasks whose external work never reports back. @default 0.05 */
  readonly neverCompleteRate?: number;
  /** Task timeout, ms. @default 300_000 */
  readonly timeoutMs?: number;
  /** Submissions are spread over this window, ms. @default 600_000 */
  readonly submitSpreadMs?: number;
  /** Completion times are uniform in 1 s … this, ms (past the timeout: some come late). @default 450_000 */
  readonly maxDurationMs?: number;
  /** Share of completions SQS delivers twice (same event id). @default 0.05 */
  readonly redeliveryRate?: number;
  /** Share of tasks whose external system sends a second, different completion. @default 0.02 */
  readonly secondEventRate?: number;
  /** Share of downstream emits that fail (the message is redelivered after 30 s). @default 0.01 */
  readonly sinkFailureRate?: number;
  /** Baseline poll interval, ms. @default 10_000 */
  readonly pollIntervalMs?: number;
  /** PRNG seed. @default 42 */
  readonly seed?: number;
}

/** One completion report of the workload. */
export interface SimCompletion {
  /** The report's event id (a redelivery repeats it). */
  readonly eventId: string;
  /** When it reaches the completion handler, epoch ms. */
  readonly at: number;
  /** What it reports. */
  readonly status: CompletionStatus;
}

/** One task of the workload. */
export interface SimTask {
  /** The task id. */
  readonly taskId: string;
  /** When it is submitted, epoch ms. */
  readonly submitAt: number;
  /** Deliveries in time order (a redelivery repeats an event id); empty when it never completes. */
  readonly deliveries: readonly SimCompletion[];
}

/** What a simulation measured. */
export interface SimReport {
  /** Tasks simulated. */
  readonly tasks: number;
  /** Requests by kind; SQS ingress is one send per message plus (receive + delete) / 10 per delivery. */
  readonly requests: Readonly<Record<string, number>>;
  /** Σ requests ÷ tasks. */
  readonly requestsPerTask: number;
  /** Σ virtual seconds workers or handlers were held. */
  readonly workerSecondsHeld: number;
}

/** A Sparse Task simulation's report, with the final state for checking. */
export interface SparseSimReport extends SimReport {
  /** Every task record at the end. */
  readonly records: readonly TaskRecord[];
  /** Every finished event emitted (re-emissions included). */
  readonly events: readonly TaskFinishedEvent[];
  /** Timeout schedules still armed at the end. */
  readonly schedulesLeft: number;
  /** What the runtime reported to metrics. */
  readonly metrics: RecordingMetrics;
  /** The workload that was run. */
  readonly workload: readonly SimTask[];
  /** Emits that failed by injection (each retried by redelivery). */
  readonly sinkFailures: number;
}

const T0 = Date.UTC(2025, 0, 1);
const VISIBILITY_MS = 30_000;
const MONITOR_RETRY_MS = 60_000;
const INGRESS_POLL_SHARE = 0.2;

function resolved(options: SimOptions): Required<SimOptions> {
  return {
    tasks: 10_000, neverCompleteRate: 0.05, timeoutMs: 300_000, submitSpreadMs: 600_000, maxDurationMs: 450_000, redeliveryRate: 0.05,
    secondEventRate: 0.02, sinkFailureRate: 0.01, pollIntervalMs: 10_000, seed: 42, ...options,
  };
}

/** The seeded workload: whole-second times, so completions land exactly on deadlines too. */
export function workload(options: SimOptions = {}): SimTask[] {
  const o = resolved(options);
  const random = seededRandom(o.seed);
  const seconds = (ms: number) => Math.floor(random() * (ms / 1000)) * 1000;
  return Array.from({ length: o.tasks }, (_, i) => {
    const taskId = `task-${i}`;
    const submitAt = T0 + seconds(o.submitSpreadMs);
    if (random() < o.neverCompleteRate) return { taskId, submitAt, deliveries: [] };
    const first: SimCompletion = { eventId: `${taskId}#1`, at: submitAt + 1000 + seconds(o.maxDurationMs), status: random() < 0.1 ? 'FAILED' : 'SUCCEEDED' };
    const deliveries = [first];
    if (random() < o.redeliveryRate) deliveries.push({ ...first, at: first.at + seconds(60_000) });
    if (random() < o.secondEventRate) deliveries.push({ eventId: `${taskId}#2`, at: first.at + 1000 + seconds(60_000), status: random() < 0.5 ? 'FAILED' : 'SUCCEEDED' });
    return { taskId, submitAt, deliveries: deliveries.sort((a, b) => a.at - b.at) };
  });
}

/** Counts of the calls the simulation makes outside the in-memory store and scheduler. */
interface SideCounts {
  start: number;
  emit: number;
  monitorInvoke: number;
  ingressSend: number;
  ingressPoll: number;
}

/** The Sparse Task runtime wired on the in-memory fakes, on the loop's clock, with injected emit faults. */
function sparseWorld(o: Required<SimOptions>, loop: EventLoop, byId: ReadonlyMap<string, SimTask>) {
  const random = seededRandom(o.seed + 1);
  const store = new InMemoryTaskStore();
  const schedules = new InMemoryTimeoutScheduler();
  const sink = new InMemoryEventSink();
  const metrics = new RecordingMetrics();
  const counts: SideCounts = { start: 0, emit: 0, monitorInvoke: 0, ingressSend: 0, ingressPoll: 0 };
  const state = { heldMs: 0, sinkFailures: 0 };
  const held = async (fn: () => Promise<unknown>) => {
    const began = loop.now();
    try {
      await fn();
    } finally {
      state.heldMs += loop.now() - began;
    }
  };
  const faultySink = {
    emit: async (event: TaskFinishedEvent) => {
      counts.emit++;
      if (random() < o.sinkFailureRate) {
        state.sinkFailures++;
        throw new Error('injected: downstream throttled');
      }
      await sink.emit(event);
    },
  };
  // Arming registers the firing on the loop; a cancelled schedule is simply no longer due then.
  const scheduler: TimeoutScheduler = {
    arm: async (schedule) => {
      const armed = await schedules.arm(schedule);
      if (armed.created) loop.at(schedule.at, () => fireDue(schedule.at));
      return armed;
    },
    cancel: (name) => schedules.cancel(name),
  };
  const deps = { clock: { now: () => loop.now() }, store, scheduler, sink: faultySink, metrics };
  const monitor = new SparseTaskTimeoutMonitor(deps);
  const completions = new SparseTaskCompletions(deps);
  const fireMonitor = async (taskId: string): Promise<void> => {
    counts.monitorInvoke++;
    await held(() => monitor.fire({ taskId })).catch(() => loop.at(loop.now() + MONITOR_RETRY_MS, () => fireMonitor(taskId)));
  };
  const fireDue = async (at: number): Promise<void> => {
    for (const schedule of schedules.takeDue(at)) await fireMonitor(schedule.payload.taskId);
  };
  const deliver = async (taskId: string, completion: SimCompletion): Promise<void> => {
    counts.ingressPoll += INGRESS_POLL_SHARE;
    const event = { taskId, status: completion.status, eventId: completion.eventId };
    // A failed handler leaves the message to reappear after the visibility timeout.
    await held(() => completions.handle(event)).catch(() => loop.at(loop.now() + VISIBILITY_MS, () => deliver(taskId, completion)));
  };
  const start = async ({ taskId }: { taskId: string }) => {
    counts.start++;
    const sentIds = new Set<string>();
    for (const completion of byId.get(taskId)?.deliveries ?? []) {
      // A redelivery is SQS delivering one sent message twice: one send, two receives.
      if (!sentIds.has(completion.eventId)) counts.ingressSend++;
      sentIds.add(completion.eventId);
      loop.at(completion.at, () => deliver(taskId, completion));
    }
  };
  const submitter = new SparseTaskSubmitter({ ...deps, start, defaultTimeoutMs: o.timeoutMs });
  const submit = (taskId: string) => {
    counts.ingressSend++;
    counts.ingressPoll += INGRESS_POLL_SHARE;
    return held(() => submitter.submit({ taskId }));
  };
  return { store, schedules, sink, metrics, counts, state, submit };
}

/** Runs the workload through the Sparse Task runtime. */
export async function simulateSparseTasks(options: SimOptions = {}): Promise<SparseSimReport> {
  const o = resolved(options);
  const tasks = workload(o);
  const loop = new EventLoop(T0);
  const world = sparseWorld(o, loop, new Map(tasks.map((task) => [task.taskId, task])));
  for (const task of tasks) loop.at(task.submitAt, () => world.submit(task.taskId));
  await loop.run();
  const requests = { ...prefixed('dynamodb.', world.store.calls), ...prefixed('scheduler.', world.schedules.calls), ...world.counts };
  return {
    tasks: tasks.length, requests, requestsPerTask: total(requests) / tasks.length, workerSecondsHeld: world.state.heldMs / 1000,
    records: world.store.all(), events: world.sink.events, schedulesLeft: world.schedules.armed().length, metrics: world.metrics,
    workload: tasks, sinkFailures: world.state.sinkFailures,
  };
}

/** Runs the same workload with one worker per task that holds on and polls every interval. */
export async function simulateNaivePolling(options: SimOptions = {}): Promise<SimReport> {
  const o = resolved(options);
  const tasks = workload(o);
  const loop = new EventLoop(T0);
  const counts = { start: 0, poll: 0, emit: 0, ingressSend: 0, ingressPoll: 0 };
  let heldMs = 0;
  const worker = async (task: SimTask): Promise<void> => {
    const began = loop.now();
    const deadline = began + o.timeoutMs;
    const doneAt = task.deliveries[0]?.at ?? Number.POSITIVE_INFINITY;
    counts.ingressSend++;
    counts.ingressPoll += INGRESS_POLL_SHARE;
    counts.start++;
    while (loop.now() < deadline) {
      await loop.sleep(Math.min(o.pollIntervalMs, deadline - loop.now()));
      counts.poll++;
      if (loop.now() >= doneAt) break;
    }
    counts.emit++;
    heldMs += loop.now() - began;
  };
  for (const task of tasks) loop.at(task.submitAt, () => void worker(task));
  await loop.run();
  return { tasks: tasks.length, requests: counts, requestsPerTask: total(counts) / tasks.length, workerSecondsHeld: heldMs / 1000 };
}

function prefixed(prefix: string, calls: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(calls).map(([name, n]) => [prefix + name, n]));
}

function total(requests: Record<string, number>): number {
  return Object.values(requests).reduce((sum, n) => sum + n, 0);
}
