/**
 * Module resolution hooks (`module.register`) of a Lambda worker: `@aws-sdk/*` imports resolve
 * from the local runtime's own installation first, as Lambda's Node.js runtimes provide the
 * SDK whatever the function's bundle left external. A package the runtime does not have
 * falls back to the function's own resolution.
 *
 * Plain JavaScript: hooks run on Node's loader thread, without a TypeScript loader.
 */

let anchor;

/** @param {{ anchor: string }} data the URL every `@aws-sdk/*` import is resolved from */
export async function initialize(data) {
  anchor = data.anchor;
}

/** Resolves `@aws-sdk/*` from the anchor, else as usual. */
export async function resolve(specifier, context, nextResolve) {
  if (anchor && specifier.startsWith('@aws-sdk/')) {
    try {
      return await nextResolve(specifier, { ...context, parentURL: anchor });
    } catch {
      // Not provided by the runtime: the function's own copy, if it has one.
    }
  }
  return nextResolve(specifier, context);
}
