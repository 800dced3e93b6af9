import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `name` in the package.json that marks this package's root. */
export const PACKAGE_NAME = 'pp-patterns';

const HERE = dirname(fileURLToPath(import.meta.url));
let cachedRoot: string | undefined;

/**
 * The absolute path of the pp-patterns package root.
 *
 * Found by walking up from this module's own directory (`import.meta.url`) to the first
 * package.json whose `name` is `pp-patterns`. Walking up, rather than a fixed `../..`, keeps
 * it right whether this code runs from the TypeScript sources (`infra/private/`), from a
 * bundled `dist/` file, or from `node_modules/pp-patterns/` in a user's app; checking the
 * name skips package.json files of nested folders. `process.cwd()` is never used: a user's
 * app runs from their own project.
 *
 * @param from the directory to start from; when omitted, this module's own directory (and the
 *   result is cached, since the package does not move while the app runs)
 * @throws Error when no such package.json exists above `from`
 */
export function packageRoot(from?: string): string {
  if (from === undefined) return (cachedRoot ??= findRoot(HERE));
  return findRoot(from);
}

function findRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (isOurPackageJson(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`pp-patterns: no package.json named "${PACKAGE_NAME}" found above ${from}`);
    }
    dir = parent;
  }
}

/**
 * The absolute path of a built-in handler entry under `functions/`, e.g.
 * `functionEntry('work-queue', 'worker.ts')`.
 *
 * @param segments path segments below `functions/`
 * @throws Error naming the missing path when the file does not exist, so a typo fails at synth
 *   with a clear message instead of inside esbuild
 */
export function functionEntry(...segments: string[]): string {
  const path = join(packageRoot(), 'functions', ...segments);
  if (!existsSync(path)) throw new Error(`pp-patterns: handler entry not found: ${path}`);
  return path;
}

/** True when `path` is inside the pp-patterns package (so its lock file can be used for bundling). */
export function isInsidePackage(path: string): boolean {
  const root = packageRoot();
  const abs = resolve(path);
  return abs === root || abs.startsWith(root + '/') || abs.startsWith(root + '\\');
}

function isOurPackageJson(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    // A malformed package.json above us is not ours; keep walking.
    return false;
  }
}
