/**
 * The bench MarkerSweeper's sweeper: applies the effect once per claimed flag, reports the
 * keys that failed (with their error) and, for an injected batch failure, throws.
 */
import { sweeper } from '../../functions/marker-sweeper/factory';
import { applyEffect, batchFails, EFFECT_MS, logEffect } from './effect';

/** The Lambda handler. */
export const handler = sweeper({
  sweep: async (flags) => {
    await new Promise((resolve) => setTimeout(resolve, EFFECT_MS));
    if (batchFails(flags.map((f) => `${f.key}#${f.attempts}#${f.marks}`))) {
      for (const flag of flags) logEffect(flag.key, false);
      throw new Error('injected sweep failure: the whole batch');
    }
    const failed = flags.filter((flag) => !applyEffect(flag.key, `${flag.attempts}#${flag.marks}`)).map((flag) => flag.key);
    return { failed, errors: Object.fromEntries(failed.map((key) => [key, 'injected effect failure'])) };
  },
});
