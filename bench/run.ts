/**
 * `npm run bench` runs every benchmark (`bench/*.bench.ts`), one or more lines each;
 * `npm run bench -- <name>` runs only `bench/<name>.bench.ts`.
 *
 * A benchmark module exports `run(): Promise<string[]>`, the lines it prints. Benchmarks
 * report figures (requests per item, calls per key); tests assert behaviour. Each benchmark's
 * lines also go to docs/figures.md (see figures.ts), with the date and the command, once it
 * finished; `BENCH_FIGURES=0` leaves the file alone.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFigures } from './figures';

interface BenchModule {
  run(): Promise<string[]>;
}

const BENCH_SUFFIX = '.bench.ts';
const benchDir = dirname(fileURLToPath(import.meta.url));
const FIGURES_PATH = resolve(benchDir, '..', 'docs', 'figures.md');

function availableBenchmarks(): string[] {
  return readdirSync(benchDir)
    .filter((file) => file.endsWith(BENCH_SUFFIX))
    .map((file) => file.slice(0, -BENCH_SUFFIX.length))
    .sort();
}

async function main(requested: string[]): Promise<void> {
  const available = availableBenchmarks();
  const unknown = requested.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; available: ${available.join(', ')}`);
  }
  // The settings a bench reads from the environment are part of the command that produced its figures.
  const settings = Object.keys(process.env).filter((k) => /^(BENCH|SOAK)_/.test(k) && k !== 'BENCH_FIGURES').sort().map((k) => `${k}=${process.env[k]}`);
  const command = [...settings, 'npm run bench', ...(requested.length > 0 ? ['--', ...requested] : [])].join(' ');
  for (const name of requested.length > 0 ? requested : available) {
    const module = (await import(pathToFileURL(join(benchDir, name + BENCH_SUFFIX)).href)) as BenchModule;
    const lines = await module.run();
    for (const line of lines) process.stdout.write(line + '\n');
    // Written per benchmark, so a later failure keeps the figures already measured.
    if (process.env.BENCH_FIGURES !== '0') writeFigures(FIGURES_PATH, [{ name, date: new Date().toISOString(), command, lines }]);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
