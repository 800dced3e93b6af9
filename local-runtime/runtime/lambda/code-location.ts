/**
 * Finds a function's code: the staged asset of `Code.S3Key` (through the asset manifest, never
 * by listing `cdk.out`), or `Code.ZipFile` written to a temporary folder; then the file and
 * export named by `Handler`.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { ProvisioningError } from '../errors';
import type { StackArtifact } from '../template/types';

/** Where a function's handler lives. */
export interface HandlerLocation {
  /** Absolute path of the handler module. */
  readonly file: string;
  /** The exported function's name. */
  readonly exportName: string;
  /** How to load it: ES module, or CommonJS (Lambda's rule for `.js` without `"type": "module"`). */
  readonly format: 'esm' | 'cjs';
}

const EXTENSIONS = ['.mjs', '.cjs', '.js'];

function codeDirectory(logicalId: string, code: Record<string, unknown>, stack: StackArtifact, inlineRoot: () => string): string {
  if (typeof code.ZipFile === 'string') return writeInline(join(inlineRoot(), logicalId), code.ZipFile);
  if (typeof code.S3Key !== 'string') {
    throw new ProvisioningError(logicalId, `Code ${JSON.stringify(Object.keys(code))} is not supported locally (needs a CDK file asset or ZipFile)`);
  }
  const dir = stack.assets.get(code.S3Key) ?? join(stack.assemblyDir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    // The one reference the runtime cannot do without: the function needs its code to run.
    throw new ProvisioningError(logicalId, `the asset of S3Key ${code.S3Key} is not staged at ${dir} (synthesize again?): the function needs its code to run, and only code staged in the cloud assembly (CDK file assets) or inline ZipFile runs locally`);
  }
  return dir;
}

function writeInline(dir: string, source: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), source);
  return dir;
}

function formatOf(file: string, dir: string): 'esm' | 'cjs' {
  if (file.endsWith('.mjs')) return 'esm';
  if (file.endsWith('.cjs')) return 'cjs';
  const pkg = join(dir, 'package.json');
  return existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type === 'module' ? 'esm' : 'cjs';
}

/**
 * Locates the handler of an `AWS::Lambda::Function`.
 *
 * @param logicalId the function's logical ID (for messages)
 * @param props its resolved properties
 * @param stack the stack (assets, assembly directory)
 * @param inlineRoot the folder inline `ZipFile` code is written under (created on first use)
 * @throws ProvisioningError when the runtime is not Node.js or the code cannot be found
 */
export function locateHandler(logicalId: string, props: Record<string, unknown>, stack: StackArtifact, inlineRoot: () => string): HandlerLocation {
  const runtime = String(props.Runtime ?? '');
  if (!runtime.startsWith('nodejs')) {
    throw new ProvisioningError(logicalId, `runtime "${runtime || (props.PackageType as string) || 'unknown'}" is not supported locally (Node.js only)`);
  }
  const dir = codeDirectory(logicalId, (props.Code ?? {}) as Record<string, unknown>, stack, inlineRoot);
  const handler = String(props.Handler ?? 'index.handler');
  const dot = handler.lastIndexOf('.');
  const base = join(dir, handler.slice(0, dot));
  const file = EXTENSIONS.map((ext) => base + ext).find((f) => existsSync(f));
  if (!file || dot < 0) throw new ProvisioningError(logicalId, `Handler "${handler}": no ${base}{${EXTENSIONS.join(',')}}`);
  return { file, exportName: handler.slice(dot + 1), format: formatOf(file, dir) };
}

function hasNodeModulesAbove(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) return true;
    if (d === parse(d).root) return false;
  }
}

/**
 * Makes packages the bundles leave external (`@aws-sdk/*`, which the Lambda runtime provides)
 * resolvable from an assembly outside the project (a test's temporary `outdir`), by linking
 * `<assembly>/node_modules` to the project's.
 *
 * @param assemblyDir the cloud assembly directory
 * @param projectRoot the folder whose `node_modules` provides the packages
 */
export function ensureModuleResolution(assemblyDir: string, projectRoot: string): void {
  if (hasNodeModulesAbove(assemblyDir)) return;
  const source = join(projectRoot, 'node_modules');
  if (existsSync(source)) symlinkSync(realpathSync(source), join(assemblyDir, 'node_modules'), 'dir');
}
