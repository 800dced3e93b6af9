/**
 * Deterministic randomness for the local runtime.
 *
 * Every random decision (generated physical names, injected faults) is a hash of the run's
 * seed and a key naming the decision, not a draw from a shared stream: the same seed gives
 * the same decision for the same key whatever order concurrent pollers and workers ask in.
 */
import { createHash } from 'node:crypto';

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function digest(seed: string, parts: readonly (string | number)[]): Buffer {
  return createHash('sha256').update(`${seed}\u0000${parts.join('\u0000')}`).digest();
}

/**
 * A number in [0, 1) determined by the seed and the key parts.
 *
 * @param seed the run's seed
 * @param parts what the decision is about, e.g. `['fail', functionName, invocationNumber]`
 */
export function hashUnit(seed: string, ...parts: (string | number)[]): number {
  return digest(seed, parts).readUInt32BE(0) / 2 ** 32;
}

/**
 * An upper-case alphanumeric token determined by the seed and the key parts, like the random
 * suffix CloudFormation appends to generated physical names.
 *
 * @param length how many characters (at most 32)
 */
export function hashToken(length: number, seed: string, ...parts: (string | number)[]): string {
  const bytes = digest(seed, parts);
  let out = '';
  for (let i = 0; i < length; i++) out += TOKEN_ALPHABET[bytes[i]! % TOKEN_ALPHABET.length];
  return out;
}
