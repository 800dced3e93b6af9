/**
 * What the benches that run synthesized stacks on the embedded local runtime share: booting a
 * bench stack (synthesized with bundling into a temporary folder), and measuring one phase of
 * a run — the requests served between two snapshots of the gateway's counter, under the one
 * requests definition (`REQUESTS_DEFINITION`), and the billed duration of a set of functions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { App } from 'aws-cdk-lib';
import { packageRoot } from '../infra/private/paths';
import { billableRequests, LocalRuntime, tallyByService, type LocalRuntimeOptions, type RequestCountRow } from '../local-runtime/runtime';

/** A bench stack running on the local runtime. */
export interface BenchRuntime {
  readonly runtime: LocalRuntime;
  /** Stops the runtime and removes the synthesized assembly. */
  stop(): Promise<void>;
}

/** Synthesizes the stack `define` adds (bundling its functions) and boots it. */
export async function bootBench(define: (app: App) => unknown, options: Omit<LocalRuntimeOptions, 'assemblyDir'> = {}): Promise<BenchRuntime> {
  const outdir = mkdtempSync(join(tmpdir(), 'pp-bench-'));
  try {
    const app = new App({ outdir });
    define(app);
    app.synth();
    const runtime = await LocalRuntime.start({ projectRoot: packageRoot(), ...options, assemblyDir: outdir });
    return {
      runtime,
      stop: async () => {
        try {
          await runtime.stop();
        } finally {
          rmSync(outdir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}

/** Which counted rows belong to the side measured (by caller, service, operation). */
export type RowFilter = (row: RequestCountRow) => boolean;

/** The rows served between `before` and `after` (two `counter.rowsSnapshot()`s), invocation rows included. */
export function rowsBetween(before: readonly RequestCountRow[], after: readonly RequestCountRow[]): RequestCountRow[] {
  const key = (r: RequestCountRow) => `${r.principal}\u0000${r.service}\u0000${r.operation}`;
  const earlier = new Map(before.map((r) => [key(r), r]));
  return after.map((r) => {
    const b = earlier.get(key(r));
    return b ? { ...r, requests: r.requests - b.requests, emptyReceives: r.emptyReceives - b.emptyReceives, denied: r.denied - b.denied, throttled: r.throttled - b.throttled } : r;
  }).filter((r) => r.requests + r.denied + r.throttled > 0);
}

/** Billable requests of `rows` and their split by service (`lambda` = invocations). */
export function requestTally(rows: readonly RequestCountRow[]): { total: number; byService: Record<string, number>; emptyReceives: number } {
  const tally = tallyByService(rows);
  return {
    total: billableRequests(rows),
    byService: Object.fromEntries([...tally].map(([service, t]) => [service, t.requests])),
    emptyReceives: [...tally.values()].reduce((sum, t) => sum + t.emptyReceives, 0),
  };
}

/** Invocations and billed duration (ms) of the named functions, as the runtime measured them. */
export function functionCost(runtime: LocalRuntime, functionNames: readonly string[]): { invocations: number; billedMs: number } {
  const outcomes = runtime.lambdas.hosts().filter((h) => functionNames.includes(h.spec.name)).map((h) => h.stats.snapshot());
  return { invocations: outcomes.reduce((s, o) => s + o.invocations, 0), billedMs: outcomes.reduce((s, o) => s + o.billedMs, 0) };
}

/** Polls `done` every 100 ms (wall time) until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(what: string, done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`bench: ${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

/** A seeded uniform generator in [0, 1) (the same sequence on every run). */
export function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

/** A positive integer from the environment variable `name`, or `fallback`. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** `value` rounded to `digits` decimals, as text. */
export function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}
