/**
 * A fast, seeded, non-cryptographic 53-bit string hash (cyrb53, public domain).
 *
 * Sharding needs a hash that is stable across processes and versions (a key must keep its
 * shard after a redeploy), spreads similar keys evenly, and is cheap per item. 53 bits fit a
 * JavaScript number exactly, which makes ties between shard scores vanishingly rare.
 */

/** The 53-bit hash of `text` under `seed`, an integer in [0, 2^53). */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
