/**
 * Rolling Poller Window against a naive poller, side by side on one virtual clock and one
 * status backend: 1,000 watched items, each finishing after a (seeded) random 1–10 checks.
 *
 * - Rolling poller: the real `pollTick` on the in-memory watch store, windows of 100 items,
 *   one batch status call per window, one tick per poll interval.
 * - Naive: a real loop that, once per interval, calls the status backend once per pending
 *   item (one call per item) until the item reports done.
 *
 * Both run until every item completed. Ticks are capped at 2 × the most checks an item needs
 * (20): an item needs at most 10 polls, and a tick polls every due item, so a run that needs
 * more ticks than that is broken, not slow; the cap makes it end and print `capped=true`.
 *
 * Every figure is measured (status calls counted at the backend). The in-memory store and the
 * in-process run stand in for the synthesized construct: DynamoDB reads and writes of the
 * watch table are not counted here.
 *
 * Prints `bench rolling-poller: status-calls/completed-item=X naive=Y`, then the totals.
 */
import { InMemoryWatchStore } from '../functions/lib/rolling-poller/memory-watch-store';
import { pollTick } from '../functions/lib/rolling-poller/poll-tick';
import type { CompletionEvent, CheckWindowFn, WatchItem } from '../functions/lib/rolling-poller/types';

const ITEMS = 1_000;
const WINDOW = 100;
const MAX_CHECKS = 10;
const INTERVAL_MS = 60_000;
const TICK_CAP = 2 * MAX_CHECKS;

/** The status backend both pollers ask: item `id` is done at its `checksNeeded`-th check. */
class StatusBackend {
  public calls = 0;
  private readonly checks = new Map<string, number>();
  constructor(private readonly checksNeeded: ReadonlyMap<string, number>) {}

  /** One call, for any number of items. */
  public call(ids: readonly string[]): ('done' | 'pending')[] {
    this.calls++;
    return ids.map((id) => {
      const n = (this.checks.get(id) ?? 0) + 1;
      this.checks.set(id, n);
      return n >= (this.checksNeeded.get(id) ?? 1) ? 'done' : 'pending';
    });
  }
}

function workload(): Map<string, number> {
  let seed = 7;
  const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  return new Map(Array.from({ length: ITEMS }, (_, i) => [`job-${i}`, 1 + Math.floor(next() * MAX_CHECKS)] as const));
}

async function rolling(checksNeeded: ReadonlyMap<string, number>): Promise<{ calls: number; completed: number; ticks: number }> {
  const backend = new StatusBackend(checksNeeded);
  const store = new InMemoryWatchStore();
  const clock = { t: 0, now: () => clock.t };
  for (const id of checksNeeded.keys()) await store.add(id, undefined, 0);
  const status: CheckWindowFn = async (items: readonly WatchItem[]) => {
    const states = backend.call(items.map((i) => i.id));
    return items.map((item, i) => ({ id: item.id, state: states[i]! }));
  };
  const completed: CompletionEvent[] = [];
  const sink = { publish: async (events: readonly CompletionEvent[]) => void completed.push(...events) };
  let ticks = 0;
  while (store.size > 0 && ticks < TICK_CAP) {
    await pollTick(store, status, sink, clock, { windowSize: WINDOW, maxCallsPerTick: ITEMS, leaseMs: INTERVAL_MS, maxAttempts: 3, backoffBaseMs: INTERVAL_MS, backoffMaxMs: INTERVAL_MS });
    clock.t += INTERVAL_MS;
    ticks++;
  }
  return { calls: backend.calls, completed: completed.length, ticks };
}

function naive(checksNeeded: ReadonlyMap<string, number>): { calls: number; completed: number; ticks: number } {
  const backend = new StatusBackend(checksNeeded);
  let pending = [...checksNeeded.keys()];
  let completed = 0;
  let ticks = 0;
  while (pending.length > 0 && ticks < TICK_CAP) {
    const still: string[] = [];
    for (const id of pending) (backend.call([id])[0] === 'done' ? completed++ : still.push(id));
    pending = still;
    ticks++;
  }
  return { calls: backend.calls, completed, ticks };
}

/** Runs the benchmark and returns its lines. */
export async function run(): Promise<string[]> {
  const checksNeeded = workload();
  const r = await rolling(checksNeeded);
  const n = naive(checksNeeded);
  return [
    `bench rolling-poller: status-calls/completed-item=${(r.calls / r.completed).toFixed(3)} naive=${(n.calls / n.completed).toFixed(3)}`,
    `bench rolling-poller: items=${ITEMS} window=${WINDOW} completed=${r.completed} naive-completed=${n.completed} status-calls=${r.calls} naive-calls=${n.calls} ticks=${r.ticks} naive-ticks=${n.ticks} tick-cap=${TICK_CAP} capped=${r.ticks >= TICK_CAP && r.completed < ITEMS}`,
  ];
}
