/**
 * Handler entry of the Reduce's built-in reducer: the ready-made merge the construct's `merge`
 * prop names (`sum`, `count`, `histogram`, `topK:<k>`).
 */
import { ReduceEnv } from '../contract';
import { ConfigError } from '../lib/errors';
import { readyMerge } from '../lib/reduce/merges';
import { reducer } from './factory';

function mergeFromEnv() {
  try {
    return readyMerge(process.env[ReduceEnv.merge] ?? '');
  } catch (error) {
    throw new ConfigError([`${ReduceEnv.merge} (env): ${(error as Error).message}`], { cause: error });
  }
}

/** The Lambda handler: merges each SQS batch of partials. */
export const handler = reducer({ merge: mergeFromEnv() });
