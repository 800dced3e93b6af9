/**
 * Loaded in every Lambda worker before the function's bundle, and in the SQS emulator's
 * thread before fauxqs: when the runtime runs on a manual or scaled clock, replaces the
 * thread's global `Date` with one that reads the runtime clock's time from a buffer the main
 * thread shares (see `clock-mirror.ts`), so `Date.now()`, `new Date()` and `Date()` follow
 * the clock, mid-invocation too.
 *
 * Plain JavaScript, like `worker-entry.mjs`: workers start without a TypeScript loader.
 * Timers (`setTimeout`), `performance.now()` and `process.hrtime()` stay in wall time.
 */

const RealDate = globalThis.Date;

/** The wall clock, whatever `Date` becomes (the invocation deadline is in wall time). */
export const wallNow = RealDate.now;

/**
 * The runtime clock's time as a function, from a `ClockMirror` buffer: three BigInt64 slots,
 * the clock time (or, for a scaled clock, its anchor), the wall anchor, and the rate in
 * millionths (0: a manual clock, whose time the main thread writes on every change).
 *
 * @param {SharedArrayBuffer} buffer the mirror's buffer
 * @returns {() => number} epoch milliseconds
 */
export function clockReader(buffer) {
  const view = new BigInt64Array(buffer);
  const ratePpm = Number(view[2]);
  if (ratePpm === 0) return () => Number(Atomics.load(view, 0));
  // A scaled clock's anchor and rate never change: the same formula as `linearNow` in clock.ts.
  const clockAnchor = Number(view[0]);
  const wallAnchor = Number(view[1]);
  return () => clockAnchor + Math.floor((wallNow() - wallAnchor) * (ratePpm / 1e6));
}

/**
 * Makes the global `Date` read the time from `buffer` (see {@link clockReader}).
 * Everything else about dates is the real `Date`: parsing, `Date.UTC`, the prototype (so
 * `instanceof Date` holds for dates made before and after), subclassing.
 *
 * @param {SharedArrayBuffer} buffer the clock's time, written by the main thread
 */
export function installClock(buffer) {
  const now = clockReader(buffer);
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
