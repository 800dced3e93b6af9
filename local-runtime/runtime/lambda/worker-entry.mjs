/**
 * The Lambda sandbox of the local runtime: one worker thread per concurrent execution
 * environment, with its own `process.env` (set by the host). It loads the function's bundle
 * once (the init phase), then runs one invocation at a time.
 *
 * Plain JavaScript on purpose: worker threads start without the TypeScript loader that
 * `npm start` (tsx) or vitest use, so this file must run on bare Node.
 */
import { readdirSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { installClock, wallNow } from './clock-preamble.mjs';
import { guardNetwork } from './network-guard.mjs';
import { mayImportSdk, provideSdk } from './provided-sdk.mjs';

const { file, exportName, format, clock } = workerData;
// Before the bundle loads, so module-scope code sees the runtime's clock too.
if (clock) installClock(clock);
// Every function gets the runtime's own SDK, wherever the assembly sits (Lambda provides it too).
provideSdk(import.meta.url, { esModules: format === 'esm' && mayImportSdk(file, (path) => readFileSync(path, 'utf8'), codeFilesBeside) });
// Nothing a function does may reach beyond this machine (the SDK v2 would call real AWS).
guardNetwork();

/** The JavaScript files of the asset holding `entry` (its folder, `node_modules` left out). */
function codeFilesBeside(entry) {
  const found = [];
  const walk = (dir) => {
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      if (item.isDirectory()) {
        if (item.name !== 'node_modules') walk(join(dir, item.name));
      } else if (/\.(m|c)?js$/.test(item.name)) found.push(join(dir, item.name));
    }
  };
  walk(dirname(entry));
  return found;
}

/** Loads a CommonJS bundle as Lambda does, whatever `type` the enclosing package.json declares. */
function loadCommonJs(path) {
  const mod = new Module(path);
  mod.filename = path;
  mod.paths = Module._nodeModulePaths(dirname(path));
  mod._compile(readFileSync(path, 'utf8'), path);
  return mod.exports;
}

async function loadHandler() {
  const mod = format === 'esm' ? await import(pathToFileURL(file).href) : loadCommonJs(file);
  const fn = mod[exportName] ?? mod.default?.[exportName];
  if (typeof fn !== 'function') {
    const error = new Error(`${file}.${exportName} is undefined or not exported`);
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  return fn;
}

/** Lambda's names for init failures: a module that cannot be found, a syntax error. */
function initFailure(err) {
  const error = err instanceof Error ? err : new Error(String(err));
  if (error.name === 'Runtime.HandlerNotFound') return error;
  const type = error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND' ? 'Runtime.ImportModuleError'
    : error instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : error.name;
  const wrapped = new Error(type === error.name ? error.message : `${error.name}: ${error.message}`);
  wrapped.name = type;
  wrapped.stack = error.stack;
  return wrapped;
}

const handler = loadHandler().catch((err) => Promise.reject(Object.assign(initFailure(err), { init: true })));
// Init errors surface on each invocation, as Lambda reports them; keep Node from crashing first.
// Either way the init phase is over: the host starts the function timeout from here.
// `initMs` is the init duration: the worker's own clock starts with the environment, so it
// covers the environment's start-up and the bundle's load, as Lambda's `Init Duration` does.
const ready = () => parentPort.postMessage({ ready: true, initMs: performance.now() });
handler.then(ready, ready);

function contextOf(msg) {
  return {
    functionName: msg.context.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: msg.context.invokedFunctionArn,
    memoryLimitInMB: String(msg.context.memoryLimitInMB),
    awsRequestId: msg.context.awsRequestId,
    logGroupName: `/aws/lambda/${msg.context.functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    // The timeout is enforced in wall time, whatever clock `Date` follows.
    getRemainingTimeInMillis: () => Math.max(0, msg.context.deadline - wallNow()),
    done() {},
    fail() {},
    succeed() {},
  };
}

const SANDBOX_DIR = new URL('.', import.meta.url);

/** A stack frame of the local runtime's sandbox or of Node's internals, not of the function. */
function isSandboxFrame(line) {
  return /^\s+at /.test(line) && (line.includes(SANDBOX_DIR.href) || line.includes(SANDBOX_DIR.pathname) || line.includes('node:internal'));
}

function run(fn, event, context) {
  if (fn.length < 3) return fn(event, context);
  return new Promise((resolve, reject) => {
    const out = fn(event, context, (err, result) => (err ? reject(err) : resolve(result)));
    if (out && typeof out.then === 'function') out.then(resolve, reject);
  });
}

parentPort.on('message', async (msg) => {
  try {
    const result = await run(await handler, msg.event, contextOf(msg));
    // Lambda serializes the result as JSON: undefined becomes null, classes become plain data.
    parentPort.postMessage({ id: msg.id, ok: true, result: JSON.stringify(result ?? null) });
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    // Lambda's `trace`: the function's own stack lines, without this sandbox's frames.
    const trace = typeof error.stack === 'string' ? error.stack.split('\n').filter((line) => !isSandboxFrame(line)) : [];
    parentPort.postMessage({ id: msg.id, ok: false, error: { errorType: error.name || 'Error', errorMessage: error.message, trace, init: error.init === true } });
  }
});
