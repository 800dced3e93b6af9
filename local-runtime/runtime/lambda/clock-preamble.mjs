/**
 * Loaded in every Lambda worker before the function's bundle: when the runtime runs on a
 * manual clock, replaces the worker's global `Date` with one that reads the runtime clock's
 * time from a buffer the main thread shares (see `clock-mirror.ts`), so `Date.now()`,
 * `new Date()` and `Date()` in handler code follow the clock, mid-invocation too.
 *
 * Plain JavaScript, like `worker-entry.mjs`: workers start without a TypeScript loader.
 * Timers (`setTimeout`), `performance.now()` and `process.hrtime()` stay in wall time.
 */

const RealDate = globalThis.Date;

/** The wall clock, whatever `Date` becomes (the invocation deadline is in wall time). */
export const wallNow = RealDate.now;

/**
 * Makes the global `Date` read the time from `buffer` (one BigInt64, epoch milliseconds).
 * Everything else about dates is the real `Date`: parsing, `Date.UTC`, the prototype (so
 * `instanceof Date` holds for dates made before and after), subclassing.
 *
 * @param {SharedArrayBuffer} buffer the clock's time, written by the main thread
 */
export function installClock(buffer) {
  const view = new BigInt64Array(buffer);
  const now = () => Number(Atomics.load(view, 0));
  function Date(...args) {
    // Called without `new`, Date ignores its arguments and returns the current time as text.
    if (new.target === undefined) return new RealDate(now()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [now()] : args, new.target);
  }
  Object.setPrototypeOf(Date, RealDate);
  Date.prototype = RealDate.prototype;
  Object.defineProperty(Date, 'length', { value: RealDate.length });
  Object.defineProperty(Date, 'now', { value: now, writable: true, configurable: true });
  Object.defineProperty(RealDate.prototype, 'constructor', { value: Date, writable: true, configurable: true });
  globalThis.Date = Date;
}
