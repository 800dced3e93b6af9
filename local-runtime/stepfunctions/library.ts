/**
 * aws-local-stepfunctions 3.0.0, loaded with a fix for its intrinsic functions. Import the
 * library from here, never from the package: the runtime must use one copy, so that
 * `instanceof ExecutionError` holds for the errors its executions throw.
 *
 * The bug: every string an intrinsic function returns has all its backslashes removed (the
 * library's way of unescaping `\'` and `\{` in string literals), so `States.JsonToString` of a
 * value with nested quotes yields invalid JSON, and `States.Format` mangles backslashes. The
 * fix, as an upstream change would make it: unescape string literals where they are parsed
 * (`\{`/`\}` kept apart from placeholders until the function has run), and leave results alone.
 * Also: `States.StringSplit` splits on every character of its delimiter string, as on AWS, and
 * the library's timers hold delays above 2^31-1 ms (retry intervals, task timeouts), and a Fail
 * state's error keeps the state's own Error and Cause, undefined when it has none.
 */
import './polyfill';
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';

type Library = typeof import('aws-local-stepfunctions');

/** The source edits: [what the 3.0.0 build says, what it says once fixed]. */
const FIXES: readonly (readonly [string, string])[] = [
  [
    'return arg.slice(1, lastSingleQuote);',
    // Escaped braces become private-use characters so States.Format does not take them for `{}`.
    'return arg.slice(1, lastSingleQuote).replace(/\\\\(.)/g, (_, c) => c === "{" ? "\\uE000" : c === "}" ? "\\uE001" : c);',
  ],
  [
    'result = result.replaceAll("\\\\", "");',
    'result = result.replace(/\\uE000/g, "{").replace(/\\uE001/g, "}");',
  ],
  // A Fail state's own Error and Cause (absent when the state sets none), as AWS reports them.
  ['throw new FailStateError(error, cause);', 'throw Object.assign(new FailStateError(error, cause), { aslError: error, aslCause: cause });'],
  // States.StringSplit splits on each character of its delimiter, as AWS documents.
  [
    'return str.split(separator);',
    'return separator === "" ? str.split("") : str.split(new RegExp("[" + separator.replace(/[\\]\\\\^-]/g, "\\\\$&") + "]"));',
  ],
];

/**
 * Node's `setTimeout` fires at once above 2^31-1 ms (about 24.8 days): a 90-day state machine
 * timeout or a long retry interval would end at once. The library's module scope gets timers
 * that chain shorter ones until the full delay has passed.
 */
const LONG_TIMERS = `
const __ppLongTimers = (() => {
  const MAX = 2147483647, set = globalThis.setTimeout, clear = globalThis.clearTimeout;
  return {
    setTimeout(fn, ms, ...args) {
      const handle = { ppTimer: undefined };
      const due = Date.now() + Math.max(0, Number(ms) || 0);
      const arm = () => {
        const left = Math.max(0, due - Date.now());
        handle.ppTimer = set(left > MAX ? arm : () => fn(...args), Math.min(left, MAX));
      };
      arm();
      return handle;
    },
    clearTimeout(handle) {
      clear(handle !== null && typeof handle === "object" && "ppTimer" in handle ? handle.ppTimer : handle);
    },
  };
})();
var setTimeout = __ppLongTimers.setTimeout, clearTimeout = __ppLongTimers.clearTimeout;
`;

/**
 * Applies {@link FIXES} (and the long timers) to the library's CommonJS build.
 * @throws Error when the build does not hold the text a fix expects (another library version)
 */
function patchedSource(source: string): string {
  const fixed = FIXES.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`aws-local-stepfunctions: expected "${from}" in its build; the intrinsic-function fix needs version 3.0.0`);
    return text.replace(from, to);
  }, source);
  // After the "use strict" directive, which must stay the first statement.
  return fixed.replace(/^("use strict";\n)?/, (directive) => `${directive}${LONG_TIMERS}`);
}

function load(): Library {
  const file = createRequire(import.meta.url).resolve('aws-local-stepfunctions');
  const mod = new Module(file);
  mod.filename = file;
  // Its own dependencies resolve from where the package is installed, as they would unpatched.
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  (mod as unknown as { _compile(code: string, file: string): void })._compile(patchedSource(readFileSync(file, 'utf8')), file);
  return mod.exports as Library;
}

const library = load();

/** The library's state machine, with the intrinsic-function fix. */
export const StateMachine = library.StateMachine;
/** Thrown by a failed execution. */
export const ExecutionError = library.ExecutionError;
/** Thrown by an execution that exceeded its TimeoutSeconds. */
export const ExecutionTimeoutError = library.ExecutionTimeoutError;
/** The library's state machine type. */
export type StateMachine = InstanceType<Library['StateMachine']>;
