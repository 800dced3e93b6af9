/**
 * `npm run bench` runs every benchmark (`bench/*.bench.ts`), one or more lines each;
 * `npm run bench -- <name>` runs only `bench/<name>.bench.ts`.
 *
 * A benchmark module exports `run(): Promise<string[]>`, the lines it prints. Benchmarks
 * report figures (requests per item, calls per key); tests assert behaviour.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run(): Promise<string[]>;
}

const BENCH_SUFFIX = '.bench.ts';
const benchDir = dirname(fileURLToPath(import.meta.url));

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
  for (const name of requested.length > 0 ? requested : available) {
    const module = (await import(pathToFileURL(join(benchDir, name + BENCH_SUFFIX)).href)) as BenchModule;
    for (const line of await module.run()) process.stdout.write(line + '\n');
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
