/**
 * `npm run bench -- marker-sweeper`: the synthesized MarkerSweeper against process-on-every-event,
 * both on the embedded local runtime in one run (bench/marker-sweeper/stack.ts), on a
 * ManualClock (the sweep rule fires once a clock minute), which SQS timers follow too.
 *
 * The same event stream goes to both: N mark events over K keys with a hot head (every key at
 * least once, the rest skewed), plus a `poison-0` key every 100th event whose effect always
 * fails. The effect (bench/marker-sweeper/effect.ts) also fails a key on a given attempt with
 * probability BENCH_SWEEPER_KEY_FAILURES and a whole batch with BENCH_SWEEPER_BATCH_FAILURES,
 * and each call of it (a sweep batch; a batch of 10 events for the naive) takes
 * BENCH_SWEEPER_EFFECT_MS of wall time.
 *
 * - ours: the MarkerSweeper. The producer sends the stream in BENCH_SWEEPER_PERIODS bursts,
 *   each *while* a sweep period runs (the burst and the clock's minute advance run at once),
 *   so marks land on flags being swept; then the clock keeps ticking until the flag table is
 *   empty (every mark followed by a successful effect, or parked). The sweeper reports failed
 *   keys per key, throws for a failed batch, and parks a flag after 5 claims (the default).
 * - naive: a queue and a Lambda that applies the effect to every event as it arrives; failed
 *   events are redelivered by SQS and parked in its DLQ after 5 receives.
 *
 * Measured: effect deliveries = keys (events) handed to the effect, failed attempts included,
 * and the successful ones, counted from the functions' log lines; requests per mark under the
 * one definition (local-runtime/runtime/accounting/billing.ts: Lambda invocations + SQS
 * requests, mapping receives and deletes included + DynamoDB requests), from the gateway's
 * counts of each phase (ours first, then naive, on the same runtime); parked keys from the
 * dead-letter queues; marks that landed on a flag being swept (`remarked`, from the sweeper's
 * run reports in its log). The gauge's read cost: the sweeper's `Select: COUNT` queries of the
 * flag index, seen at the gateway, against its runs — it counts at most once per
 * `outstandingCountInterval` (5 min by default), not on every run. Nothing here is modeled.
 *
 * Sizes: BENCH_SWEEPER_EVENTS (default 1000), BENCH_SWEEPER_KEYS (100), BENCH_SWEEPER_PERIODS (4),
 * BENCH_SWEEPER_EFFECT_MS (200), BENCH_SWEEPER_KEY_FAILURES / BENCH_SWEEPER_BATCH_FAILURES (percent, 10 / 5).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalRuntime, RequestCountRow } from '../local-runtime/runtime';
import { ManualClock } from '../local-runtime/scheduling';
import { EFFECT_LINE } from './marker-sweeper/effect';
import { BENCH_FLAG_SHARDS, SweeperBenchOutput as O, markerSweeperBenchStack } from './marker-sweeper/stack';
import { bootBench, envInt, fixed, functionCost, requestTally, rowsBetween, seeded } from './runtime-bench';

const EVENTS = envInt('BENCH_SWEEPER_EVENTS', 1000);
const KEYS = envInt('BENCH_SWEEPER_KEYS', 100);
const PERIODS = envInt('BENCH_SWEEPER_PERIODS', 4);
const KEY_FAILURES = Number(process.env.BENCH_SWEEPER_KEY_FAILURES ?? 10) / 100;
const BATCH_FAILURES = Number(process.env.BENCH_SWEEPER_BATCH_FAILURES ?? 5) / 100;
const EFFECT_MS = envInt('BENCH_SWEEPER_EFFECT_MS', 200);
const MINUTE = 60_000;
/** The naive queue's visibility timeout and receives before parking (bench/marker-sweeper/stack.ts). */
const NAIVE_VISIBILITY_MS = 30_000;
const NAIVE_MAX_RECEIVES = 5;
/** Ticks after the last burst within which every flag must be swept or parked (5 claims, 1 min retry delay). */
const DRAIN_TICKS = 15;

/** The event stream: every key once, then a hot head; `poison-0` every 100th event. */
function keyStream(): string[] {
  const next = seeded(42);
  return Array.from({ length: EVENTS }, (_, i) => (i % 100 === 99 ? 'poison-0' : `room-${i < KEYS ? i : Math.floor(KEYS * next() ** 2)}`));
}

/** What the effect saw, per function, from the log lines. */
class EffectLog {
  private readonly byFunction = new Map<string, { handed: number; ok: number; okKeys: Set<string> }>();

  public line(fn: string, line: string): void {
    const match = EFFECT_LINE.exec(line.trim());
    if (!match) return;
    const e = this.byFunction.get(fn) ?? { handed: 0, ok: 0, okKeys: new Set<string>() };
    e.handed++;
    if (match[2] === '1') {
      e.ok++;
      e.okKeys.add(match[1]!);
    }
    this.byFunction.set(fn, e);
  }

  public of(fn: string): { handed: number; ok: number; okKeys: Set<string> } {
    return this.byFunction.get(fn) ?? { handed: 0, ok: 0, okKeys: new Set() };
  }
}

async function sendKeys(sqs: SQSClient, queueUrl: string, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 10) {
    const Entries = keys.slice(i, i + 10).map((key, j) => ({ Id: String(j), MessageBody: JSON.stringify({ key }) }));
    const { Failed = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
    if (Failed.length > 0) throw new Error(`bench: ${Failed.length} sends failed: ${Failed[0]?.Message}`);
  }
}

async function parkedKeys(runtime: LocalRuntime, output: string): Promise<{ messages: number; keys: Set<string>; flags: string[] }> {
  const bodies = (await runtime.sqs.inspect(runtime.queue(output).name)).map((m) => JSON.parse(m.body) as { key?: string; flag?: { key: string; attempts: number; marks: number } });
  const keys = new Set(bodies.map((body) => String(body.flag?.key ?? body.key)));
  // A parked flag's claims and marks: what its parking was decided on.
  const flags = bodies.flatMap((body) => (body.flag ? [`${body.flag.key}(claims=${body.flag.attempts} marks=${body.flag.marks})`] : []));
  return { messages: bodies.length, keys, flags };
}

/** Runs the benchmark and returns its lines. */
export async function run(): Promise<string[]> {
  const clock = new ManualClock();
  const effects = new EffectLog();
  let remarked = 0;
  const onLog = (fn: string, line: string) => {
    effects.line(fn, line);
    if (line.includes('"sweep finished"')) remarked += Number((JSON.parse(line) as { remarked?: number }).remarked ?? 0);
  };
  const bench = await bootBench((app) => markerSweeperBenchStack(app, { key: KEY_FAILURES, batch: BATCH_FAILURES }, EFFECT_MS), { clock, onLog, maxWorkersPerFunction: 2 });
  const { runtime } = bench;
  const sqs = new SQSClient(runtime.clientConfig());
  const sweeperFn = runtime.output(O.sweeperFunction);
  const ours = [runtime.output(O.markerFunction), sweeperFn];
  const naiveFn = runtime.output(O.naiveFunction);
  let countQueries = 0;
  let sweeperQueries = 0;
  const unobserve = runtime.gateway.observe((request, principal) => {
    if (principal !== sweeperFn || request.service !== 'dynamodb' || request.operation !== 'Query') return;
    sweeperQueries++;
    if (request.input.Select === 'COUNT') countQueries++;
  });
  try {
    const keys = keyStream();
    const flagTable = runtime.output(O.flagTable);
    const s0 = runtime.counter.rowsSnapshot();
    const burst = Math.ceil(EVENTS / PERIODS);
    const sweeperHost = runtime.lambdas.hosts().find((h) => h.spec.name === sweeperFn);
    if (!sweeperHost) throw new Error(`bench: no sweeper function ${sweeperFn}`);
    for (let p = 0; p < PERIODS; p++) {
      // The burst starts as the period's sweep starts, so its marks land while that sweep runs.
      const runs = sweeperHost.invocationCount;
      const advancing = runtime.advanceClock(MINUTE);
      while (sweeperHost.invocationCount === runs) await sleep(2);
      await Promise.all([advancing, sendKeys(sqs, runtime.output(O.ingressUrl), keys.slice(p * burst, (p + 1) * burst))]);
    }
    let drainTicks = 0;
    for (;;) {
      await runtime.settle();
      if ((await runtime.dynamodb.count(flagTable)) === 0) break;
      if (drainTicks >= DRAIN_TICKS) throw new Error(`bench marker-sweeper: ${await runtime.dynamodb.count(flagTable)} flags left ${DRAIN_TICKS} ticks after the last burst`);
      await runtime.advanceClock(MINUTE);
      drainTicks++;
    }
    const s1 = runtime.counter.rowsSnapshot();
    const sweeper = runtime.lambdas.hosts().find((h) => h.spec.name === sweeperFn)?.stats.snapshot();
    await sendKeys(sqs, runtime.output(O.naiveUrl), keys);
    await runtime.settle({ timeoutMs: 300_000 });
    // Failed events come round again when the clock passes their visibility timeout, and are
    // parked at the receive after the 5th: move the clock until the naive queue is empty.
    const naiveQueue = runtime.queue(O.naiveUrl).name;
    for (let round = 0; round < NAIVE_MAX_RECEIVES + 1 && (await runtime.sqs.depth(naiveQueue)).inFlight > 0; round++) {
      await runtime.advanceClock(NAIVE_VISIBILITY_MS, { timeoutMs: 300_000 });
    }
    const s2 = runtime.counter.rowsSnapshot();

    const notFrom = (fns: readonly string[]) => (r: RequestCountRow) => !fns.includes(r.principal);
    const oursTally = requestTally(rowsBetween(s0, s1).filter(notFrom([naiveFn])));
    const naiveTally = requestTally(rowsBetween(s1, s2).filter(notFrom(ours)));
    const distinct = new Set(keys).size;
    const o = effects.of(sweeperFn);
    const n = effects.of(naiveFn);
    const oursParked = await parkedKeys(runtime, O.sweeperDlqUrl);
    const naiveParked = await parkedKeys(runtime, O.naiveDlqUrl);
    const split = (t: ReturnType<typeof requestTally>) => Object.entries(t.byService).map(([s, v]) => `${s}=${fixed(v / EVENTS, 3)}`).join(' ');
    return [
      `bench marker-sweeper: events=${EVENTS} keys=${distinct} effect-deliveries=${o.handed} naive=${n.handed} successful=${o.ok} naive=${n.ok} requests/mark=${fixed(oursTally.total / EVENTS, 3)} naive=${fixed(naiveTally.total / EVENTS, 3)} parked-keys=${oursParked.keys.size} naive-parked-events=${naiveParked.messages} (requests = invocations + SQS + DynamoDB, billing.ts)`,
      `  ours: ${PERIODS} bursts of ≤${burst} marks, each sent as a sweep started, then ${drainTicks} more tick(s) until no flag was left; marks landing on a flag being swept=${remarked}; keys effected=${o.okKeys.size}/${distinct} parked: ${oursParked.flags.join(' ') || 'none'}; sweeper runs=${sweeper?.invocations} failed runs=${sweeper?.errors} (injected: key ${KEY_FAILURES * 100}%, batch ${BATCH_FAILURES * 100}%) per mark: ${split(oursTally)}`,
      `  gauge: full counts of the flag index=${countQueries / BENCH_FLAG_SHARDS} (${countQueries} Select=COUNT queries, one per shard) in ${sweeper?.invocations} sweeper runs over ${PERIODS + drainTicks} clock minutes; the sweeper's other index queries=${sweeperQueries - countQueries}`,
      `  naive: every event processed on arrival; keys effected=${n.okKeys.size}/${distinct}; parked events=${naiveParked.messages} of keys ${[...naiveParked.keys].join(',') || 'none'}; invocations=${functionCost(runtime, [naiveFn]).invocations} per mark: ${split(naiveTally)}`,
    ];
  } finally {
    unobserve();
    sqs.destroy();
    await bench.stop();
  }
}
