/**
 * Makes tsc's emitted declarations resolve under every module resolution a user's app may use.
 *
 * The sources import relative paths without extensions (`moduleResolution: bundler`), and tsc
 * emits them as written; under NodeNext or Node16 such an import does not resolve (TS2834) and
 * every type behind it silently becomes `any`. So each relative specifier gets its `.js` (or
 * `/index.js` for a folder), and each `.d.ts` gets a `.d.cts` twin whose specifiers end in
 * `.cjs`: the `require` condition's types must be CommonJS declarations, and in a
 * `"type": "module"` package only the `.d.cts` extension says so.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const SPECIFIER = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g;

function declarationFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return declarationFiles(path);
    return path.endsWith('.d.ts') ? [path] : [];
  });
}

/** The specifier with an explicit `.js` file, as Node's ESM resolution needs it. */
export function withExtension(fromFile: string, specifier: string): string {
  if (/\.(m|c)?js$/.test(specifier)) return specifier;
  const target = resolve(dirname(fromFile), specifier);
  if (existsSync(`${target}.d.ts`)) return `${specifier}.js`;
  if (existsSync(join(target, 'index.d.ts'))) return `${specifier.replace(/\/$/, '')}/index.js`;
  throw new Error(`${fromFile}: cannot resolve declaration import "${specifier}"`);
}

/** Rewrites every declaration under `dir` in place and writes its `.d.cts` twin. */
export function fixDeclarations(dir: string): void {
  for (const file of declarationFiles(dir)) {
    const esm = readFileSync(file, 'utf8').replace(SPECIFIER, (_m, lead: string, q: string, spec: string) => `${lead}${q}${withExtension(file, spec)}${q}`);
    writeFileSync(file, esm);
    const cjs = esm.replace(SPECIFIER, (_m, lead: string, q: string, spec: string) => `${lead}${q}${spec.replace(/\.js$/, '.cjs')}${q}`);
    writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), cjs);
  }
}
