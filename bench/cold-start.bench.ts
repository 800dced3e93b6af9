/**
 * `npm run bench -- cold-start`: module load + first invocation of each handler kind, against
 * a hand-written best-practice handler (bench/cold-start/anchor-handler.ts), in one run.
 *
 * - Ours: the package is built (`scripts/build.ts`) and linked into a scratch app as
 *   `node_modules/pp-patterns`; each user handler file imports `pp-patterns/runtime` and is
 *   bundled with the settings our constructs give `NodejsFunction` (`HANDLER_BUNDLING`); each
 *   built-in handler is bundled from its entry under `functions/` the same way.
 * - Anchor: middy + partial batch response + Powertools Logger/Metrics + SQS and DynamoDB
 *   document clients, bundled the same way but minified.
 * - Both are built twice: `sdk=external` (`@aws-sdk/*` loaded from `node_modules`, as Lambda
 *   provides it) and `sdk=bundled` (the SDK inside the bundle).
 * - Each sample is a fresh `node` process (bench/cold-start/probe.mjs) timing `import()` of the
 *   bundle plus the first `handler(event, context)`. AWS calls go to an HTTP endpoint in this
 *   process (bench/cold-start/fake-aws.ts) answering minimal successes: no network. Samples
 *   are taken round-robin over every bundle so machine load drifts over all of them alike.
 *
 * Figures are measured: `ours-ms`/`anchor-ms` are medians of wall time, `*-p90` the 90th
 * percentiles, ratio = ours median / anchor median, `*-cpu-ms` and `cpu-ratio` the same for the
 * process's CPU time (steadier on a busy machine), `bundle-kb` the size of our bundle. Each
 * kind is compared like for like (`sdk=external`, `sdk=bundled`), then `defaults`: ours as our
 * constructs bundle it by default against the anchor as a plain `NodejsFunction` bundles it.
 * Settings: BENCH_COLD_RUNS (samples per bundle, default 15), BENCH_COLD_KINDS (comma list).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { HANDLER_BUNDLING } from '../infra/private/handler-function';
import { startFakeAws, type FakeAws } from './cold-start/fake-aws';
import { ANCHOR_ENV, ANCHOR_EVENT, ENDPOINT, HANDLER_KINDS, type HandlerKind } from './cold-start/kinds';

/** Where the SDK comes from: the runtime's `node_modules` or the bundle. */
export type Sdk = 'external' | 'bundled';
/** What Lambda's Node.js runtimes provide, left out of `sdk=external` bundles. */
const PROVIDED_SDK = ['@aws-sdk/*'];
/** Both SDK modes, in the order the bench reports them. */
export const SDKS: readonly Sdk[] = ['external', 'bundled'];

/** One bundle to measure. */
export interface Target {
  readonly kind: string;
  readonly sdk: Sdk;
  readonly bundle: string;
  readonly eventFile: string;
  readonly env: Record<string, string>;
}

/** One cold start, as bench/cold-start/probe.mjs reports it. */
export interface Sample {
  readonly loadMs: number;
  readonly invokeMs: number;
  /** CPU time of the process over load and invocation. */
  readonly cpuMs: number;
  /** `process.hrtime` in µs (the clock of `--cpu-prof`) when the import started, ended, and the first invocation ended. */
  readonly hrUs: { readonly start: number; readonly loaded: number; readonly invoked: number };
  readonly result: { ok?: unknown; error?: string };
  /** The tail of the process's stdout and stderr (its logs), for a failure's message. */
  readonly output: string;
}

/** The repository root. */
export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const probe = join(repo, 'bench', 'cold-start', 'probe.mjs');
/** The anchor's kind name. */
export const ANCHOR = 'anchor';

/**
 * Bundles `entry` to `outDir/index.mjs` as our constructs do; returns the bundle's path. With
 * `sourcemap`, also writes `index.mjs.map` (not referenced from the bundle, so loading is unchanged)
 * and esbuild's metafile as `meta.json`.
 */
async function bundle(entry: string, outDir: string, sdk: Sdk, minify: boolean, sourcemap: boolean): Promise<string> {
  const outfile = join(outDir, 'index.mjs');
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: HANDLER_BUNDLING.format === 'esm' ? 'esm' : 'cjs',
    target: HANDLER_BUNDLING.target,
    mainFields: [...HANDLER_BUNDLING.mainFields],
    banner: { js: HANDLER_BUNDLING.banner },
    external: sdk === 'external' ? PROVIDED_SDK : [],
    minify,
    ...(sourcemap ? { sourcemap: 'external' as const, metafile: true } : {}),
    logLevel: 'warning',
  });
  if (result.metafile) writeFileSync(join(outDir, 'meta.json'), JSON.stringify(result.metafile));
  return outfile;
}

/** Writes the scratch app and builds every bundle; returns the targets and our bundle sizes. */
export async function buildTargets(work: string, kinds: readonly HandlerKind[], sourcemap = false): Promise<{ targets: Target[]; sizes: Map<string, number> }> {
  const app = join(work, 'app');
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  mkdirSync(join(app, 'handlers'));
  mkdirSync(join(work, 'events'));
  symlinkSync(repo, join(app, 'node_modules', 'pp-patterns'), 'dir');
  const targets: Target[] = [];
  const sizes = new Map<string, number>();
  const anchorEvent = join(work, 'events', `${ANCHOR}.json`);
  writeFileSync(anchorEvent, JSON.stringify(ANCHOR_EVENT));
  for (const sdk of SDKS) {
    const anchorEntry = join(repo, 'bench', 'cold-start', 'anchor-handler.ts');
    const anchorBundle = await bundle(anchorEntry, join(work, 'out', `${ANCHOR}-${sdk}`), sdk, true, sourcemap);
    targets.push({ kind: ANCHOR, sdk, bundle: anchorBundle, eventFile: anchorEvent, env: ANCHOR_ENV });
    sizes.set(`${ANCHOR}/${sdk}`, statSync(anchorBundle).size);
    for (const kind of kinds) {
      let entry: string;
      if ('userFile' in kind.source) {
        entry = join(app, 'handlers', `${kind.name}.ts`);
        writeFileSync(entry, kind.source.userFile);
      } else {
        entry = join(repo, kind.source.builtIn);
      }
      const eventFile = join(work, 'events', `${kind.name}.json`);
      writeFileSync(eventFile, JSON.stringify(kind.event));
      const path = await bundle(entry, join(work, 'out', `${kind.name}-${sdk}`), sdk, HANDLER_BUNDLING.minify, sourcemap);
      targets.push({ kind: kind.name, sdk, bundle: path, eventFile, env: kind.env });
      sizes.set(`${kind.name}/${sdk}`, statSync(path).size);
    }
  }
  return { targets, sizes };
}

/** One fresh process: load + first invocation of `target`; `nodeArgs` go to `node` (e.g. `--cpu-prof`). */
export function sample(target: Target, aws: FakeAws, home: string, nodeArgs: readonly string[] = []): Promise<Sample> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'ASIACOLDSTARTBENCH00',
    AWS_SECRET_ACCESS_KEY: 'cold-start-bench-secret',
    AWS_SESSION_TOKEN: 'cold-start-bench-token',
    AWS_ENDPOINT_URL: aws.url,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    AWS_LAMBDA_FUNCTION_NAME: `cold-${target.kind}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: `cold-${target.kind}`,
    POWERTOOLS_METRICS_NAMESPACE: 'ColdStartBench',
    ...Object.fromEntries(Object.entries(target.env).map(([name, value]) => [name, value.replaceAll(ENDPOINT, aws.url)])),
  };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, probe, target.bundle, target.eventFile], { env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let report = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => (report += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (report === '') reject(new Error(`${target.kind}/${target.sdk} probe exited ${code}: ${stderr.slice(-2000)}`));
      else resolvePromise({ ...(JSON.parse(report) as Omit<Sample, 'output'>), output: stderr });
    });
  });
}

/** The failure a first invocation reported, or undefined when it did its work. */
export function failureOf(result: Sample['result']): string | undefined {
  if (result.error !== undefined) return result.error;
  const failures = (result.ok as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures;
  return failures && failures.length > 0 ? `batchItemFailures=${failures.length}` : undefined;
}

/** The `p`th percentile of `values` (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const fmt = (ms: number): string => ms.toFixed(1);

/** Unique calls with counts, in first-call order, e.g. `DynamoDB.PutItemx5,SQS.SendMessageBatch`. */
function summarizeCalls(calls: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call, (counts.get(call) ?? 0) + 1);
  return counts.size === 0 ? 'none' : [...counts].map(([call, n]) => (n === 1 ? call : `${call}x${n}`)).join(',');
}

/** The kinds named by BENCH_COLD_KINDS (comma list), else `fallback`. */
export function selectKinds(fallback: readonly HandlerKind[] = HANDLER_KINDS): readonly HandlerKind[] {
  const only = process.env.BENCH_COLD_KINDS?.split(',').filter(Boolean);
  const kinds = only ? HANDLER_KINDS.filter((k) => only.includes(k.name)) : fallback;
  if (only && kinds.length !== only.length) throw new Error(`BENCH_COLD_KINDS: unknown kind in ${only.join(',')}; known: ${HANDLER_KINDS.map((k) => k.name).join(',')}`);
  return kinds;
}

/** A positive integer setting from the environment. */
export function intSetting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${process.env[name]}`);
  return value;
}

/** Builds the package, then a fresh scratch directory `name` under node_modules/.cache; returns its path. */
export function prepareWork(name: string): string {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: repo, stdio: 'inherit' });
  const work = join(repo, 'node_modules', '.cache', name);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'home'), { recursive: true });
  return work;
}

/** Runs the bench; returns its lines. */
export async function run(): Promise<string[]> {
  const runs = intSetting('BENCH_COLD_RUNS', 15);
  const kinds = selectKinds();
  const work = prepareWork('pp-cold-start');
  const { targets, sizes } = await buildTargets(work, kinds);

  const aws = await startFakeAws();
  const samples = new Map<string, Sample[]>(targets.map((t) => [`${t.kind}/${t.sdk}`, []]));
  const calls = new Map<string, string>();
  try {
    for (let i = 0; i < runs; i++) {
      for (const target of targets) {
        const key = `${target.kind}/${target.sdk}`;
        aws.takeCalls();
        const s = await sample(target, aws, join(work, 'home'));
        const failure = failureOf(s.result);
        if (failure !== undefined) throw new Error(`${key}: first invocation failed: ${failure}\n${s.output}`);
        if (i === 0) calls.set(key, summarizeCalls(aws.takeCalls()));
        samples.get(key)!.push(s);
      }
    }
  } finally {
    await aws.close();
  }

  const wall = (key: string): number[] => samples.get(key)!.map((s) => s.loadMs + s.invokeMs);
  const cpu = (key: string): number[] => samples.get(key)!.map((s) => s.cpuMs);
  const kb = (key: string): string => (sizes.get(key)! / 1024).toFixed(1);
  /** One comparison: ours at `oursKey` against the anchor at `anchorKey`. */
  const compare = (oursKey: string, anchorKey: string): string => {
    const [ours, anchor] = [percentile(wall(oursKey), 50), percentile(wall(anchorKey), 50)];
    const [oursCpu, anchorCpu] = [percentile(cpu(oursKey), 50), percentile(cpu(anchorKey), 50)];
    return (
      `ours-ms=${fmt(ours)} anchor-ms=${fmt(anchor)} ratio=${(ours / anchor).toFixed(2)} bundle-kb=${kb(oursKey)} ` +
      `ours-p90=${fmt(percentile(wall(oursKey), 90))} anchor-p90=${fmt(percentile(wall(anchorKey), 90))} ` +
      `ours-cpu-ms=${fmt(oursCpu)} anchor-cpu-ms=${fmt(anchorCpu)} cpu-ratio=${(oursCpu / anchorCpu).toFixed(2)}`
    );
  };
  const lines: string[] = [];
  for (const sdk of SDKS) {
    const anchorKey = `${ANCHOR}/${sdk}`;
    lines.push(
      `bench cold-start: kind=${ANCHOR} sdk=${sdk} anchor-ms=${fmt(percentile(wall(anchorKey), 50))} anchor-p90=${fmt(percentile(wall(anchorKey), 90))} ` +
        `anchor-cpu-ms=${fmt(percentile(cpu(anchorKey), 50))} bundle-kb=${kb(anchorKey)} runs=${runs} aws=${calls.get(anchorKey)}`,
    );
    for (const kind of kinds) {
      const key = `${kind.name}/${sdk}`;
      lines.push(`bench cold-start: kind=${kind.name} sdk=${sdk} ${compare(key, anchorKey)} aws=${calls.get(key)}`);
    }
  }
  // As each is deployed by default: ours as our constructs bundle it, the anchor as a plain
  // NodejsFunction does (the SDK left to the runtime).
  const ourDefault: Sdk = HANDLER_BUNDLING.externalModules.some((m) => PROVIDED_SDK.includes(m)) ? 'external' : 'bundled';
  for (const kind of kinds) {
    lines.push(`bench cold-start: kind=${kind.name} defaults ours-sdk=${ourDefault} anchor-sdk=external ${compare(`${kind.name}/${ourDefault}`, `${ANCHOR}/external`)}`);
  }
  return lines;
}
