/**
 * The AWS SDK v3 every local function sees (see `provided-sdk.mjs`): the `@aws-sdk/*`
 * packages of the runtime's own installation, with their versions, as Lambda's Node.js
 * runtimes provide one SDK to every function.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `node_modules/@aws-sdk` folder the runtime's own imports resolve from. */
function providedSdkDirectory(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let d = from; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', '@aws-sdk');
    if (existsSync(candidate)) return candidate;
    if (d === parse(d).root) return undefined;
  }
}

/** Package name → version of every `@aws-sdk/*` package the functions get. */
export function providedSdkVersion(): Record<string, string> {
  const dir = providedSdkDirectory();
  if (!dir) return {};
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const manifest = join(dir, name, 'package.json');
    if (existsSync(manifest)) out[`@aws-sdk/${name}`] = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  }
  return out;
}
