/**
 * Attributes the samples of a V8 `--cpu-prof` profile to the package each frame's code comes
 * from, so a cold start's time can be read per package (`@aws-sdk/client-dynamodb`,
 * `@smithy/*`, `@aws-lambda-powertools/logger`, `pp-patterns`, node internals, ...).
 *
 * A sample's time is its self time: the frame on top of the stack when it was taken. Frames in
 * a bundle are mapped back to their source file through the bundle's source map (Node's own
 * `SourceMap`), so bundled and `node_modules` code attribute alike. Only samples inside a
 * window (the probe's import + first invocation) count, split into those two phases.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** The parts of a `.cpuprofile` this reads. */
interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number } }[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time per package, in µs, for one phase. */
export type PackageTimes = Map<string, number>;

/** Self time per package in the load (import) and invoke (first call) phases. */
export interface Attribution {
  readonly load: PackageTimes;
  readonly invoke: PackageTimes;
}

/** Phase boundaries on the profile's clock, in µs. */
export interface Window {
  readonly start: number;
  readonly loaded: number;
  readonly invoked: number;
}

/** How a source path is labelled: the user's handler file or the bench's anchor. */
export interface Labels {
  /** The repository root: files under it that are not in `node_modules` are `pp-patterns`. */
  readonly repo: string;
  /** The handler's own source file(s) (user file or anchor): labelled `handler`. */
  readonly handlerFiles: readonly string[];
}

/** The package of an absolute source path. */
export function packageOf(path: string, labels: Labels): string {
  if (labels.handlerFiles.includes(path)) return 'handler';
  const marker = '/node_modules/';
  const at = path.lastIndexOf(marker);
  if (at >= 0) {
    const parts = path.slice(at + marker.length).split('/');
    const name = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    // @smithy has ~40 small packages that together are the SDK's core: one line for them.
    if (name.startsWith('@smithy/')) return '@smithy/*';
    if (name === 'pp-patterns') return 'pp-patterns';
    return name;
  }
  if (path.startsWith(labels.repo + '/')) return 'pp-patterns';
  return `other:${path}`;
}

/**
 * Node's own frames, by what they do: compiling the JavaScript being loaded (`wrapSafe` for
 * CommonJS, `compileSourceTextModule` for ESM, the CJS export lexer an ESM import of CommonJS
 * runs), loading Node's built-in modules, resolving and reading module files, and the rest
 * (http, net, crypto, streams, timers: the first invocation's request path).
 */
function nodeLabel(url: string, functionName: string): string {
  if (['wrapSafe', 'compileSourceTextModule', 'compileFunction', 'detectModuleFormat'].includes(functionName) || url.includes('cjs-module-lexer')) return 'node: compile loaded JS';
  if (functionName === 'compileForInternalLoader' || url.startsWith('node:internal/bootstrap/')) return 'node: built-in modules';
  if (url.startsWith('node:internal/modules/')) return 'node: module loader (resolve/read)';
  return 'node: runtime (http/net/crypto/streams)';
}

/** Attributes the profile at `profilePath` to packages within `window`. */
export function attribute(profilePath: string, window: Window, labels: Labels): Attribution {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  const maps = new Map<string, { map: SourceMap; dir: string } | null>();
  const mapOf = (file: string): { map: SourceMap; dir: string } | null => {
    if (!maps.has(file)) {
      try {
        const payload = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as SourceMapPayload;
        maps.set(file, { map: new SourceMap(payload), dir: dirname(file) });
      } catch {
        maps.set(file, null);
      }
    }
    return maps.get(file)!;
  };
  const labelOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { url, functionName, lineNumber, columnNumber } = node.callFrame;
    let label: string;
    if (url === '') label = functionName === '(garbage collector)' ? 'v8: gc' : functionName === '(program)' ? 'v8: compile/other' : functionName === '(idle)' ? 'idle (awaiting I/O)' : `v8: ${functionName || '(native)'}`;
    else if (url.startsWith('node:')) label = nodeLabel(url, functionName);
    else {
      const file = url.startsWith('file:') ? fileURLToPath(url) : url;
      const mapped = mapOf(file);
      if (mapped) {
        const entry = mapped.map.findEntry(lineNumber, columnNumber) as { originalSource?: string };
        // The bundle's own top level (esbuild hoists the ESM modules' top-level code into it) has no single source.
        label = entry.originalSource ? packageOf(resolve(mapped.dir, entry.originalSource.replace(/^file:\/\//, '')), labels) : 'bundle top level (module init)';
      } else label = file.endsWith('probe.mjs') ? 'probe' : packageOf(file, labels);
    }
    labelOf.set(node.id, label);
  }
  const load: PackageTimes = new Map();
  const invoke: PackageTimes = new Map();
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i]!;
    // A sample stands for the interval up to the next one.
    const self = profile.timeDeltas[i + 1] ?? 0;
    const phase = time >= window.start && time < window.loaded ? load : time >= window.loaded && time < window.invoked ? invoke : undefined;
    if (!phase) continue;
    const label = labelOf.get(profile.samples[i]!)!;
    phase.set(label, (phase.get(label) ?? 0) + self);
  }
  return { load, invoke };
}
