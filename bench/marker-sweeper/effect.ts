/**
 * The effect both sides of the marker-sweeper bench apply to a key, with injected failures:
 * key `poison-*` always fails; any other key fails on a given attempt with probability
 * `BENCH_KEY_FAILURE_RATE`, and a whole batch fails (throws) with `BENCH_BATCH_FAILURE_RATE`,
 * decided by a hash of the key (or batch) and the attempt, so a retry may succeed.
 *
 * Each key handed to the effect writes one line, `bench-effect key=<key> ok=<0|1>`, which the
 * bench counts from the functions' logs (the effect is not an AWS request).
 */

/** The line each key handed to the effect writes. */
export const EFFECT_LINE = /^bench-effect key=(\S+) ok=([01])$/;

const keyFailureRate = Number(process.env.BENCH_KEY_FAILURE_RATE ?? 0);
const batchFailureRate = Number(process.env.BENCH_BATCH_FAILURE_RATE ?? 0);

/** FNV-1a of `text` with murmur3's finalizer (texts differing in one last digit must not land close), in [0, 1). */
function unit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

/** How long one call of the effect takes, in ms (wall time): a sweep then spans the marks that arrive meanwhile. */
export const EFFECT_MS = Number(process.env.BENCH_EFFECT_MS ?? 0);

/** Whether the whole batch `attemptIds` fails (then every key of it is logged as failed). */
export function batchFails(attemptIds: readonly string[]): boolean {
  return unit(`batch:${[...attemptIds].sort().join(',')}`) < batchFailureRate;
}

/** Applies the effect to `key` on its attempt `attemptId`; false when it failed. */
export function applyEffect(key: string, attemptId: string): boolean {
  const ok = !key.startsWith('poison-') && unit(`key:${key}:${attemptId}`) >= keyFailureRate;
  logEffect(key, ok);
  return ok;
}

/** Logs `key` as handed to the effect (used for the keys of a failed batch). */
export function logEffect(key: string, ok: boolean): void {
  process.stdout.write(`bench-effect key=${key} ok=${ok ? 1 : 0}\n`);
}
