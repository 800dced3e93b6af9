/**
 * `npm run build`: the package other CDK apps install.
 *
 * - `dist/index.js` (the constructs), `dist/runtime.js` (the handler factories) and
 *   `dist/testing.js` (test doubles) are ESM bundles of our own code only: every dependency
 *   stays external, so a user's app shares its own aws-cdk-lib and constructs instead of
 *   getting a second copy.
 * - `dist/types/` holds the declarations emitted by tsc.
 * - Handler entries stay TypeScript source under `functions/`: constructs hand them to
 *   `NodejsFunction`, which bundles them in the user's app exactly as it does here.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})].flatMap(
  (name) => [name, `${name}/*`],
);

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { index: 'infra/index.ts', runtime: 'functions/runtime.ts', testing: 'functions/testing.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  logLevel: 'warning',
});
// The `pp` command (package `bin`): the same externals, and a shebang so npm can link it.
await build({
  entryPoints: { pp: 'cli/pp.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
execFileSync('node_modules/.bin/tsc', ['-p', 'tsconfig.build.json'], { stdio: 'inherit' });
