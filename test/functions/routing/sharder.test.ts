import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSharder, parseShardKey, shardKeyOf } from '../../../functions/lib/routing/sharder';

const shards = ['s0', 's1', 's2', 's3'];
const keys = Array.from({ length: 4000 }, (_, i) => `customer-${i}`);

describe('createSharder', () => {
  it('puts a key on the same shard every time', () => {
    const sharder = createSharder({ shards });
    expect(keys.map((k) => sharder.shardFor(k))).toStrictEqual(keys.map((k) => createSharder({ shards }).shardFor(k)));
  });

  it('assigns keys independently of the order the shards are listed in', () => {
    const a = createSharder({ shards });
    const b = createSharder({ shards: [...shards].reverse() });
    expect(keys.map((k) => a.shardFor(k))).toStrictEqual(keys.map((k) => b.shardFor(k)));
  });

  it('spreads keys evenly: each of 4 shards gets 25% ± 3 points of 4,000 keys', () => {
    const sharder = createSharder({ shards });
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(sharder.shardFor(k), (counts.get(sharder.shardFor(k)) ?? 0) + 1);
    for (const shard of shards) expect(Math.abs((counts.get(shard) ?? 0) / keys.length - 0.25)).toBeLessThan(0.03);
  });

  it('never routes a key to an unhealthy shard while a healthy one exists', () => {
    const sharder = createSharder({ shards });
    const unhealthy = new Set(['s1', 's3']);
    expect(keys.some((k) => unhealthy.has(sharder.shardFor(k, unhealthy)))).toBe(false);
  });

  it('spreads a spilled shard over every healthy shard, not onto one', () => {
    const sharder = createSharder({ shards });
    const targets = new Set(keys.filter((k) => sharder.homeShard(k) === 's2').map((k) => sharder.shardFor(k, new Set(['s2']))));
    expect([...targets].sort()).toStrictEqual(['s0', 's1', 's3']);
  });

  it('keeps every key on its home shard when all shards are unhealthy', () => {
    const sharder = createSharder({ shards });
    expect(keys.every((k) => sharder.shardFor(k, new Set(shards)) === sharder.homeShard(k))).toBe(true);
  });

  it('spill moves only the unhealthy shards\' keys, and healing moves exactly them back (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 2, maxLength: 12 }),
        fc.array(fc.string(), { minLength: 1, maxLength: 200 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 11 }),
        (names, sample, picks) => {
          const sharder = createSharder({ shards: names });
          // Any proper subset may be unhealthy: at least one shard stays healthy.
          const unhealthy = new Set(picks.map((pick) => names[pick % names.length] as string).slice(0, names.length - 1));
          const healthyOnly = createSharder({ shards: names.filter((name) => !unhealthy.has(name)) });
          for (const key of sample) {
            const home = sharder.homeShard(key);
            const spilled = sharder.shardFor(key, unhealthy);
            // A spilled key lands where a sharder of the healthy shards alone would put it.
            expect([unhealthy.has(home) ? healthyOnly.homeShard(key) : home, sharder.shardFor(key, new Set())]).toStrictEqual([spilled, home]);
          }
        },
      ),
    );
  });

  it('fails if no shard is given', () => {
    expect(() => createSharder({ shards: [] })).toThrow(/at least one shard/);
  });

  it('fails if a shard name repeats, naming it', () => {
    expect(() => createSharder({ shards: ['a', 'b', 'a'] })).toThrow(/unique, repeated: a/);
  });

  it('fails if a shard name is empty', () => {
    expect(() => createSharder({ shards: ['a', ''] })).toThrow(/must not be empty/);
  });
});

describe('shardKeyOf', () => {
  it('reads the key field', () => {
    expect(shardKeyOf({ user: { id: 'u7' } }, parseShardKey('user.id'), 'raw')).toBe('u7');
  });

  it('falls back to the given raw body when the key is missing', () => {
    expect(shardKeyOf({ other: 1 }, parseShardKey('user.id'), '{"other":1}')).toBe('{"other":1}');
  });
});
