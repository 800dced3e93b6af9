/**
 * Gives a Lambda worker the AWS SDK v3 the local runtime itself is installed with, for ES
 * modules (loader hooks) and CommonJS (`Module._resolveFilename`) alike. Without it, where the
 * cloud assembly sits decided which SDK a function saw: inside an app folder, the app's own
 * `node_modules` (often missing `@aws-sdk/util-dynamodb` and friends, which Lambda provides).
 *
 * Plain JavaScript, like `worker-entry.mjs`.
 */
import Module, { register } from 'node:module';

const PROVIDED = /^@aws-sdk\//;

/**
 * Installs the redirection; call before the function's bundle loads.
 *
 * @param {string} anchor a file URL inside the runtime, from which `@aws-sdk/*` resolves
 * @param {{ esModules: boolean }} options whether ES module imports need it too: loader hooks
 *   run on a thread of their own per worker and see every import, so they are registered only
 *   for code that may import the SDK as an ES module (see `mayImportSdk`)
 */
export function provideSdk(anchor, { esModules }) {
  if (esModules) register(new URL('./provided-sdk-hooks.mjs', import.meta.url), { data: { anchor } });
  const anchorModule = new Module(new URL(anchor).pathname);
  anchorModule.filename = new URL(anchor).pathname;
  anchorModule.paths = Module._nodeModulePaths(new URL('.', anchor).pathname);
  const original = Module._resolveFilename;
  Module._resolveFilename = function resolveProvided(request, parent, ...rest) {
    if (PROVIDED.test(request)) {
      try {
        return original.call(this, request, anchorModule, ...rest);
      } catch {
        // Not provided by the runtime: the function's own copy, if it has one.
      }
    }
    return original.call(this, request, parent, ...rest);
  };
}

/**
 * Whether an ES module bundle may import `@aws-sdk/*` at run time: a lone entry file that never
 * names the SDK cannot (a bundle that carries the SDK inside names no such specifier), while
 * an asset with other code files beside the entry may, through them.
 *
 * @param {string} file the entry file's path
 * @param {(path: string) => string} readText reads a file
 * @param {(entry: string) => string[]} listCode the code files of the entry's asset (`node_modules` left out)
 */
export function mayImportSdk(file, readText, listCode) {
  if (listCode(file).length > 1) return true;
  return readText(file).includes('@aws-sdk/');
}
