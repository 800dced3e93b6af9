/**
 * Rolling Poller Window: 1,000 watched items, each finishing after a (seeded) random 1–10
 * checks, polled in windows of 100 with one batch status call per window, one tick per poll
 * interval, until every item completed. Naive polling makes one call per item per interval.
 *
 * Prints `bench rolling-poller: status-calls/completed-item=X naive=Y`, then the totals.
 */
import { InMemoryWatchStore } from '../functions/lib/rolling-poller/memory-watch-store';
import { pollTick } from '../functions/lib/rolling-poller/poll-tick';
import type { CompletionEvent, CheckWindowFn } from '../functions/lib/rolling-poller/types';

const ITEMS = 1_000;
const WINDOW = 100;
const MAX_CHECKS = 10;
const INTERVAL_MS = 60_000;

/** Runs the benchmark and returns its lines. */
export async function run(): Promise<string[]> {
  let seed = 7;
  const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const store = new InMemoryWatchStore();
  const clock = { t: 0, now: () => clock.t };
  const checksNeeded = new Map<string, number>();
  for (let i = 0; i < ITEMS; i++) {
    const id = `job-${i}`;
    checksNeeded.set(id, 1 + Math.floor(next() * MAX_CHECKS));
    await store.add(id, undefined, 0);
  }
  let calls = 0;
  const status: CheckWindowFn = async (items) => {
    calls += 1;
    return items.map((item) => (item.polls + 1 >= (checksNeeded.get(item.id) ?? 1) ? { id: item.id, state: 'done' } : { id: item.id, state: 'pending' }));
  };
  const completed: CompletionEvent[] = [];
  const sink = { publish: async (events: readonly CompletionEvent[]) => void completed.push(...events) };
  let ticks = 0;
  while (store.size > 0 && ticks < 100) {
    await pollTick(store, status, sink, clock, { windowSize: WINDOW, maxCallsPerTick: ITEMS, leaseMs: INTERVAL_MS, maxAttempts: 3, backoffBaseMs: INTERVAL_MS, backoffMaxMs: INTERVAL_MS });
    clock.t += INTERVAL_MS;
    ticks += 1;
  }
  // Naive: every item checked on its own once per interval until it finishes.
  const naiveCalls = [...checksNeeded.values()].reduce((sum, checks) => sum + checks, 0);
  return [
    `bench rolling-poller: status-calls/completed-item=${(calls / completed.length).toFixed(3)} naive=${(naiveCalls / completed.length).toFixed(3)}`,
    `bench rolling-poller: items=${ITEMS} window=${WINDOW} completed=${completed.length} status-calls=${calls} naive-calls=${naiveCalls} ticks=${ticks}`,
  ];
}
