/**
 * Loads a CDK cloud assembly (`cdk.out`): `manifest.json` → the stack artifacts, their
 * templates, and the asset manifests that map an `S3Key` to the staged asset folder.
 *
 * Assets are resolved through the asset manifest, never by listing `cdk.out`: old `asset.*`
 * folders stay behind there between synths.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { AssemblyError } from '../errors';
import type { CfnTemplate, StackArtifact } from './types';

interface ManifestArtifact {
  readonly type: string;
  readonly displayName?: string;
  readonly properties?: { templateFile?: string; stackName?: string; file?: string };
  readonly dependencies?: readonly string[];
}

interface AssetManifest {
  readonly files?: Record<string, { source: { path?: string }; destinations: Record<string, { objectKey: string }> }>;
}

function readJson<T>(path: string): T {
  if (!existsSync(path)) throw new AssemblyError(`${path} does not exist (run \`cdk synth\` first?)`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (cause) {
    throw new AssemblyError(`${path} is not valid JSON`, { cause });
  }
}

function loadAssets(dir: string, manifest: Record<string, ManifestArtifact>, deps: readonly string[]): Map<string, string> {
  const assets = new Map<string, string>();
  for (const dep of deps) {
    const artifact = manifest[dep];
    if (artifact?.type !== 'cdk:asset-manifest' || !artifact.properties?.file) continue;
    const files = readJson<AssetManifest>(join(dir, artifact.properties.file)).files ?? {};
    for (const file of Object.values(files)) {
      if (!file.source.path) continue;
      const path = isAbsolute(file.source.path) ? file.source.path : join(dir, file.source.path);
      for (const destination of Object.values(file.destinations)) assets.set(destination.objectKey, path);
    }
  }
  return assets;
}

/**
 * Loads every CloudFormation stack of a cloud assembly.
 *
 * @param assemblyDir the `cdk.out` directory (or any `outdir`)
 * @returns the stacks, in manifest order
 * @throws AssemblyError when the manifest or a template is missing or malformed
 */
export function loadAssembly(assemblyDir: string): StackArtifact[] {
  const dir = resolve(assemblyDir);
  const manifest = readJson<{ artifacts?: Record<string, ManifestArtifact> }>(join(dir, 'manifest.json')).artifacts ?? {};
  const stacks: StackArtifact[] = [];
  for (const [artifactId, artifact] of Object.entries(manifest)) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const template = readJson<CfnTemplate>(join(dir, artifact.properties.templateFile));
    if (typeof template.Resources !== 'object' || template.Resources === null) {
      throw new AssemblyError(`${artifact.properties.templateFile} has no Resources section`);
    }
    stacks.push({
      artifactId,
      stackName: artifact.properties.stackName ?? artifactId,
      displayName: artifact.displayName ?? artifactId,
      template,
      assemblyDir: dir,
      assets: loadAssets(dir, manifest, artifact.dependencies ?? []),
    });
  }
  return stacks;
}

/**
 * Picks one stack of an assembly by stack name, artifact ID or display name.
 *
 * @param stacks the assembly's stacks
 * @param name the wanted stack; optional when the assembly holds exactly one stack
 * @throws AssemblyError naming the stacks available when none (or several) match
 */
export function selectStack(stacks: readonly StackArtifact[], name?: string): StackArtifact {
  const names = stacks.map((s) => s.stackName).join(', ') || '(none)';
  if (name === undefined) {
    if (stacks.length === 1) return stacks[0]!;
    throw new AssemblyError(`the assembly holds ${stacks.length} stacks (${names}): name one`);
  }
  const found = stacks.find((s) => s.stackName === name || s.artifactId === name || s.displayName === name);
  if (!found) throw new AssemblyError(`no stack "${name}" in the assembly; stacks: ${names}`);
  return found;
}
