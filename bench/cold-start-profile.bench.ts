/**
 * `npm run bench -- cold-start-profile`: where a cold start's time goes, per package, for a few
 * handler kinds and the anchor, in both SDK modes — the evidence behind the cold-start figures.
 *
 * The bundles are built exactly as `npm run bench -- cold-start` builds them (same esbuild
 * settings, plus an external source map that the bundle does not reference), and each sample
 * is the same fresh-process probe run under `node --cpu-prof`. Every profile sample's self time
 * is attributed to the package of its frame (bench/cold-start/attribution.ts): bundled frames
 * through the source map, `node_modules` frames by path; `handler` is the handler's own file
 * (the user's file or the anchor), `pp-patterns` our runtime, `node internals` Node's own
 * modules (ESM loader, fs, http), `v8: compile/other` time V8 reports outside any JavaScript
 * frame (parsing and compiling the code it loads, mostly), `idle (awaiting I/O)` the first
 * invocation waiting on the bench's AWS endpoint. Only the probe's import and first invocation
 * count, split into `load` and `invoke`.
 *
 * Figures are measured: per target, the mean over BENCH_COLD_PROFILE_RUNS profiled processes
 * (default 5) of each package's self time, in ms, with its share of load + invoke. Profiling
 * adds overhead (sampling every 100 µs), so absolute figures are above the cold-start bench's;
 * the shares are what to read. Settings: BENCH_COLD_PROFILE_RUNS, BENCH_COLD_KINDS (default
 * stage,sweeper,sparse-submitter,reduce), BENCH_COLD_PROFILE_TOP (packages listed, default 10).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ANCHOR, buildTargets, failureOf, intSetting, prepareWork, repo, sample, SDKS, selectKinds, type Target } from './cold-start.bench';
import { attribute, packageOf, type Labels, type PackageTimes } from './cold-start/attribution';
import { startFakeAws } from './cold-start/fake-aws';
import { HANDLER_KINDS } from './cold-start/kinds';

const DEFAULT_KINDS = ['stage', 'sweeper', 'sparse-submitter', 'reduce'];

const add = (into: PackageTimes, from: PackageTimes): void => {
  for (const [name, us] of from) into.set(name, (into.get(name) ?? 0) + us);
};
/** Bytes of `bundle` per package, from the metafile esbuild wrote beside it. */
function bundleBytes(bundle: string, labels: Labels): PackageTimes {
  const meta = JSON.parse(readFileSync(join(dirname(bundle), 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  const bytes: PackageTimes = new Map();
  for (const output of Object.values(meta.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(resolve(repo, path), labels);
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return bytes;
}

const total = (times: PackageTimes): number => [...times.values()].reduce((a, b) => a + b, 0);

/** Runs the bench; returns its lines. */
export async function run(): Promise<string[]> {
  const runs = intSetting('BENCH_COLD_PROFILE_RUNS', 5);
  const top = intSetting('BENCH_COLD_PROFILE_TOP', 10);
  const kinds = selectKinds(HANDLER_KINDS.filter((k) => DEFAULT_KINDS.includes(k.name)));
  const work = prepareWork('pp-cold-start-profile');
  const { targets } = await buildTargets(work, kinds, true);
  const handlerFiles = [join(repo, 'bench', 'cold-start', 'anchor-handler.ts'), ...kinds.map((k) => join(work, 'app', 'handlers', `${k.name}.ts`))];

  const labels: Labels = { repo, handlerFiles };
  const key = (t: Target): string => `${t.kind}/${t.sdk}`;
  const sums = new Map(targets.map((t) => [key(t), { load: new Map() as PackageTimes, invoke: new Map() as PackageTimes }]));
  const aws = await startFakeAws();
  try {
    for (let i = 0; i < runs; i++) {
      for (const target of targets) {
        const dir = join(work, 'profiles', `${target.kind}-${target.sdk}-${i}`);
        mkdirSync(dir, { recursive: true });
        const s = await sample(target, aws, join(work, 'home'), ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100']);
        const failure = failureOf(s.result);
        if (failure !== undefined) throw new Error(`${key(target)}: first invocation failed: ${failure}\n${s.output}`);
        const [file] = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
        if (!file) throw new Error(`${key(target)}: node wrote no profile in ${dir}`);
        const attribution = attribute(join(dir, file), s.hrUs, labels);
        const sum = sums.get(key(target))!;
        add(sum.load, attribution.load);
        add(sum.invoke, attribution.invoke);
      }
    }
  } finally {
    await aws.close();
  }

  const ms = (us: number): string => (us / 1000 / runs).toFixed(1);
  const lines: string[] = [];
  for (const sdk of SDKS) {
    for (const kind of [ANCHOR, ...kinds.map((k) => k.name)]) {
      const { load, invoke } = sums.get(`${kind}/${sdk}`)!;
      const both: PackageTimes = new Map();
      add(both, load);
      add(both, invoke);
      const all = total(both);
      lines.push(`bench cold-start-profile: kind=${kind} sdk=${sdk} profiled-ms=${ms(all)} load-ms=${ms(total(load))} invoke-ms=${ms(total(invoke))} runs=${runs}`);
      const ranked = [...both].sort((a, b) => b[1] - a[1]);
      const bytes = bundleBytes(targets.find((t) => t.kind === kind && t.sdk === sdk)!.bundle, labels);
      for (const [name, us] of ranked.slice(0, top)) {
        const kb = bytes.has(name) ? ` bundle-kb=${(bytes.get(name)! / 1024).toFixed(1)}` : '';
        lines.push(`  ${name.padEnd(40)} ${ms(us).padStart(6)} ms ${((100 * us) / all).toFixed(0).padStart(3)}%  (load ${ms(load.get(name) ?? 0)} / invoke ${ms(invoke.get(name) ?? 0)})${kb}`);
      }
      const rest = ranked.slice(top).reduce((a, [, us]) => a + us, 0);
      if (rest > 0) lines.push(`  ${'(the rest)'.padEnd(40)} ${ms(rest).padStart(6)} ms ${((100 * rest) / all).toFixed(0).padStart(3)}%`);
      // What the bundle itself holds (the SDK only when sdk=bundled): compile and module-init time scale with it.
      const big = [...bytes].sort((a, b) => b[1] - a[1]).slice(0, top);
      lines.push(`  bundle-kb by package: ${big.map(([name, b]) => `${name}=${(b / 1024).toFixed(1)}`).join(' ')}`);
    }
  }
  return lines;
}
