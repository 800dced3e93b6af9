/**
 * RequestAggregator against DataLoader and batshit on one workload, in one run: ROUNDS
 * rounds, each firing LOADS concurrent loads over keys drawn from KEYS distinct keys (seeded),
 * batch size BATCH, against a backend that answers every call after LATENCY_MS of real time.
 * Each library first runs the rounds once untimed (JIT warm-up), then PASSES times, each pass
 * led by a different library so none gets a warmer machine; loads/s is total loads over total
 * timed wall time.
 *
 * `calls` are our backend calls, counted; `floor` = Σ over rounds of ⌈distinct keys of the
 * round / BATCH⌉, computed from the workload: no batcher that keeps no values across rounds can
 * make fewer calls. DataLoader runs as its docs recommend, one loader per request (round), so
 * its per-loader cache dedupes within the round as our window does; batshit dedupes a window's
 * queries with a Set.
 *
 * Prints `bench aggregator: loads/s=X dataloader=Y batshit=Z calls=C floor=F`, then the call
 * counts of the other two and the workload.
 *
 * A second, staggered workload issues the same loads spread over HOPS event-loop turns
 * (load i after i mod HOPS `setImmediate` hops), as requests reaching one process over a
 * millisecond do. DataLoader's window is one tick, so it makes a batch per turn; ours runs
 * with `maxWaitMs: 1` and batshit with a 1 ms window. Printed as `bench aggregator-staggered:`.
 * `bench aggregator-overhead:` runs the burst against a backend that answers at once (no
 * timer), so loads/s measures the batchers' own CPU cost per load.
 */
import { create, indexedResolver, windowedFiniteBatchScheduler } from '@yornaath/batshit';
import DataLoader from 'dataloader';
import { RequestAggregator } from '../functions/lib/request-aggregator/aggregator';
import { seededRandom } from './event-loop';

const ROUNDS = 300;
const LOADS = 1_000;
const KEYS = 400;
const BATCH = 100;
const LATENCY_MS = 2;
const PASSES = 3;
const HOPS = 10;


type Loader = (key: number) => Promise<string>;
type Issue = (load: Loader, key: number, index: number) => Promise<string>;
interface Contender {
  readonly name: string;
  /** Builds the loader for one round (a request). */
  readonly forRound: () => Loader;
  calls: number;
  ms: number;
}

const workload: number[][] = (() => {
  const random = seededRandom(7);
  return Array.from({ length: ROUNDS }, () => Array.from({ length: LOADS }, () => Math.floor(random() * KEYS)));
})();

/** The backend: one call answers every key after a fixed latency (0: at once, no timer). */
async function backend(contender: Contender, keys: readonly number[], latencyMs: number): Promise<string[]> {
  contender.calls++;
  if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
  return keys.map((key) => `v${key}`);
}

function contenders(windowMs: number, latencyMs: number): Contender[] {
  const ours: Contender = { name: 'aggregator', calls: 0, ms: 0, forRound: () => aggregator.load.bind(aggregator) };
  const aggregator = new RequestAggregator<number, string>({ loadBatch: (keys) => backend(ours, keys, latencyMs), maxBatchSize: BATCH, maxConcurrentBatches: 16, maxWaitMs: windowMs });
  const dataloader: Contender = {
    name: 'dataloader',
    calls: 0,
    ms: 0,
    forRound: () => {
      const loader = new DataLoader<number, string>((keys) => backend(dataloader, keys, latencyMs), { maxBatchSize: BATCH });
      return loader.load.bind(loader);
    },
  };
  const batshit: Contender = { name: 'batshit', calls: 0, ms: 0, forRound: () => batcher.fetch };
  const batcher = create<Record<number, string>, number, string>({
    fetcher: async (keys) => Object.fromEntries((await backend(batshit, keys, latencyMs)).map((value, i) => [keys[i], value])),
    resolver: indexedResolver() as never,
    scheduler: windowedFiniteBatchScheduler({ windowMs, maxBatchSize: BATCH }),
  });
  return [ours, dataloader, batshit];
}

/** Every load at once, in one synchronous burst. */
const burst: Issue = (load, key) => load(key);

/** Load i after i mod HOPS turns of the event loop. */
const staggered: Issue = async (load, key, index) => {
  for (let hop = 0; hop < index % HOPS; hop++) await new Promise((resolve) => setImmediate(resolve));
  return load(key);
};

async function runRounds(contender: Contender, issue: Issue, timed = true): Promise<void> {
  const started = performance.now();
  for (const keys of workload) {
    const load = contender.forRound();
    const values = await Promise.all(keys.map((key, index) => issue(load, key, index)));
    if (values[0] !== `v${keys[0]}`) throw new Error(`${contender.name} answered ${values[0]} for key ${keys[0]}`);
  }
  if (timed) contender.ms += performance.now() - started;
}

/** Runs every contender on `issue`'s workload: one untimed pass each, then PASSES timed passes, each led by another. */
async function race(windowMs: number, issue: Issue, latencyMs = LATENCY_MS): Promise<[Contender, Contender, Contender]> {
  const all = contenders(windowMs, latencyMs);
  for (const contender of all) await runRounds(contender, issue, false);
  for (const contender of all) contender.calls = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    for (let i = 0; i < all.length; i++) await runRounds(all[(pass + i) % all.length] as Contender, issue);
  }
  return all as [Contender, Contender, Contender];
}

/** Runs the benchmark and returns its lines. */
export async function run(): Promise<string[]> {
  const rate = (contender: Contender) => Math.round((ROUNDS * LOADS * PASSES) / (contender.ms / 1_000));
  const floor = PASSES * workload.reduce((sum, keys) => sum + Math.ceil(new Set(keys).size / BATCH), 0);
  const [ours, dataloader, batshit] = await race(0, burst);
  const [oursS, dataloaderS, batshitS] = await race(1, staggered);
  const [oursC, dataloaderC, batshitC] = await race(0, burst, 0);
  return [
    `bench aggregator: loads/s=${rate(ours)} dataloader=${rate(dataloader)} batshit=${rate(batshit)} calls=${ours.calls} floor=${floor}`,
    `bench aggregator: calls dataloader=${dataloader.calls} batshit=${batshit.calls} rounds=${ROUNDS * PASSES} loads/round=${LOADS} keys=${KEYS} batch=${BATCH} latency-ms=${LATENCY_MS}`,
    `bench aggregator-overhead: loads/s=${rate(oursC)} dataloader=${rate(dataloaderC)} batshit=${rate(batshitC)} calls=${oursC.calls} (the burst against a backend answering at once: the batchers' own cost)`,
    `bench aggregator-staggered: loads/s=${rate(oursS)} dataloader=${rate(dataloaderS)} batshit=${rate(batshitS)} calls=${oursS.calls} dataloader-calls=${dataloaderS.calls} batshit-calls=${batshitS.calls} floor=${floor} (loads over ${HOPS} event-loop turns; 1 ms windows for ours and batshit)`,
  ];
}
