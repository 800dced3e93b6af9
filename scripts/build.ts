/**
 * `npm run build`: the package other CDK apps install.
 *
 * - `dist/index.js` (ESM) and `.cjs` (CommonJS) bundle the constructs' own code only: every
 *   dependency stays external, so a user's app shares its own aws-cdk-lib and constructs
 *   instead of getting a second copy. Both formats exist because `cdk init` apps are CommonJS
 *   and `require()` of an ES module is not available on every Node 20 release.
 * - `pp-patterns/runtime` and `pp-patterns/testing` ship unbundled: one module per source file,
 *   `dist/esm/**.js` and `dist/cjs/**.cjs`. With `"sideEffects": false` a user's bundler keeps
 *   only the modules a handler reaches, so a handler loads only the SDK clients it uses (one
 *   pre-bundled file made every handler import every client: ~100 ms more cold start each).
 * - `dist/pp.js` is the `pp` command (plan, send, status, redrive against AWS).
 * - `dist/cli.js` is the local runtime's command (`pp-local`), with its worker-thread entry
 *   files copied beside it (workers start on bare Node, without a bundler or a loader).
 * - `dist/types/` holds the declarations emitted by tsc, rewritten by
 *   `scripts/declarations.ts` so they resolve under NodeNext, Node16 and bundler alike.
 * - Handler entries stay TypeScript source under `functions/`: constructs hand them to
 *   `NodejsFunction`, which bundles them in the user's app exactly as it does here.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { fixDeclarations } from './declarations';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})].flatMap(
  (name) => [name, `${name}/*`],
);
const common: BuildOptions = { bundle: true, platform: 'node', target: 'node20', external, logLevel: 'warning', outdir: 'dist' };
const entryPoints = { index: 'infra/index.ts' };
const moduleEntries = ['functions/runtime.ts', 'functions/testing.ts'];

/**
 * Keeps every relative import a separate module, named with the extension it is emitted
 * under (Node resolves no extensionless relative specifier).
 */
function moduleImports(extension: string): Plugin {
  return {
    name: 'module-imports',
    setup(context) {
      context.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const target = resolve(args.resolveDir, args.path);
        if (existsSync(`${target}.ts`)) return { path: `${args.path}${extension}`, external: true };
        if (existsSync(join(target, 'index.ts'))) return { path: `${args.path}/index${extension}`, external: true };
        return undefined;
      });
    },
  };
}

/** Every source file the module entries reach (a bundling pass that writes nothing). */
async function moduleSources(): Promise<string[]> {
  const { metafile } = await build({ ...common, entryPoints: moduleEntries, outdir: 'dist/probe', format: 'esm', write: false, metafile: true });
  return Object.keys(metafile.inputs).filter((path) => path.endsWith('.ts') && !path.startsWith('node_modules/'));
}

rmSync('dist', { recursive: true, force: true });
const sources = await moduleSources();
await build({ ...common, entryPoints: sources, outbase: '.', outdir: 'dist/esm', format: 'esm', plugins: [moduleImports('.js')] });
await build({
  ...common,
  entryPoints: sources,
  outbase: '.',
  outdir: 'dist/cjs',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  plugins: [moduleImports('.cjs')],
});
await build({ ...common, entryPoints, format: 'esm' });
await build({
  ...common,
  entryPoints,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // CommonJS has no import.meta: the package-root lookup (infra/private/paths.ts) needs this file's URL.
  define: { 'import.meta.url': '__ppModuleUrl' },
  banner: { js: "const __ppModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({ ...common, entryPoints: { cli: 'local-runtime/bin.ts', pp: 'cli/pp.ts' }, format: 'esm', banner: { js: '#!/usr/bin/env node' } });
// Every plain-JavaScript file of the sandbox: the worker entry and the modules it imports.
const sandbox = 'local-runtime/runtime/lambda';
for (const file of readdirSync(sandbox).filter((name) => name.endsWith('.mjs'))) copyFileSync(`${sandbox}/${file}`, `dist/${file}`);
// The SQS emulator's thread (it loads the sandbox's clock preamble by URL).
copyFileSync('local-runtime/runtime/emulators/sqs-worker.mjs', 'dist/sqs-worker.mjs');
execFileSync('node_modules/.bin/tsc', ['-p', 'tsconfig.build.json'], { stdio: 'inherit' });
fixDeclarations('dist/types');
