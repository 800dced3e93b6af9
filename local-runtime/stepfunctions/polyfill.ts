/**
 * `Promise.withResolvers` (ES2024) for Node 20.
 *
 * aws-local-stepfunctions 3.0.0 targets Node 22 and calls it in every Task state; without it
 * each Task throws a TypeError, and a `States.ALL` Catch then quietly turns that into a
 * "handled" failure. Import this module before the library (local-state-machines.ts does).
 */

interface WithResolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const PromiseCtor = Promise as unknown as { withResolvers?: <T>() => WithResolvers<T> };

if (typeof PromiseCtor.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(): WithResolvers<T> {
      let resolve!: WithResolvers<T>['resolve'];
      let reject!: WithResolvers<T>['reject'];
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

// Imported for its side effect only; the empty export keeps the names above module-local.
export {};
