import { describe, expect, it } from 'vitest';
import { BatchFunctionError, BatchResultCountError, ConfigError } from '../../functions/lib/errors';
import { RequestAggregator } from '../../functions/lib/request-aggregator/aggregator';
import { ManualScheduler } from '../../functions/lib/request-aggregator/scheduler';
import { recordingLoader, settle } from '../helpers/recording-loader';

const outcome = <T>(promise: Promise<T>): Promise<T | Error> => promise.catch((error: unknown) => error as Error);

describe('RequestAggregator windows', () => {
  it('batches the loads of one tick into one call (system scheduler, no wait)', async () => {
    const { loadBatch, calls } = recordingLoader();
    const aggregator = new RequestAggregator({ loadBatch });
    const values = await Promise.all([aggregator.load('a'), aggregator.load('b'), aggregator.load('c')]);
    expect(values).toStrictEqual(['v:a', 'v:b', 'v:c']);
    expect(calls).toStrictEqual([['a', 'b', 'c']]);
  });

  it('keeps a window open across ticks until maxWaitMs passes on the scheduler', async () => {
    const { loadBatch, calls } = recordingLoader();
    const scheduler = new ManualScheduler();
    const aggregator = new RequestAggregator({ loadBatch, maxWaitMs: 50, scheduler });
    const first = aggregator.load('a');
    await settle();
    scheduler.advance(49);
    const second = aggregator.load('b');
    await settle();
    expect(calls).toStrictEqual([]);
    scheduler.advance(1);
    expect(await Promise.all([first, second])).toStrictEqual(['v:a', 'v:b']);
    const third = aggregator.load('c');
    scheduler.advance(50);
    await third;
    expect(calls).toStrictEqual([['a', 'b'], ['c']]);
  });

  it('closes a window as soon as it holds maxBatchSize distinct keys', async () => {
    const { loadBatch, calls } = recordingLoader();
    const scheduler = new ManualScheduler();
    const aggregator = new RequestAggregator({ loadBatch, maxBatchSize: 2, maxWaitMs: 1_000, scheduler });
    const loads = ['a', 'b', 'c', 'd', 'e'].map((key) => aggregator.load(key));
    await settle();
    expect(calls).toStrictEqual([['a', 'b'], ['c', 'd']]);
    scheduler.advance(1_000);
    expect(await Promise.all(loads)).toStrictEqual(['v:a', 'v:b', 'v:c', 'v:d', 'v:e']);
    expect(calls).toStrictEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('closes the open window on flush and resolves once every load has settled', async () => {
    const { loadBatch, calls } = recordingLoader();
    const scheduler = new ManualScheduler();
    const aggregator = new RequestAggregator({ loadBatch, maxWaitMs: 60_000, scheduler });
    const load = aggregator.load('a');
    await aggregator.flush();
    expect(calls).toStrictEqual([['a']]);
    expect(await load).toBe('v:a');
    expect(scheduler.pending).toBe(0);
  });

  it('gives identical keys of one window one slot, and shares a running batch', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { loadBatch, calls } = recordingLoader(async (keys) => {
      await gate;
      return keys.map((key) => `v:${key}`);
    });
    const aggregator = new RequestAggregator({ loadBatch });
    const loads = [aggregator.load('a'), aggregator.load('a'), aggregator.load('b')];
    await settle();
    loads.push(aggregator.load('a'));
    release();
    expect(await Promise.all(loads)).toStrictEqual(['v:a', 'v:a', 'v:b', 'v:a']);
    expect(calls).toStrictEqual([['a', 'b']]);
    expect(await aggregator.load('a')).toBe('v:a');
    expect(calls).toStrictEqual([['a', 'b'], ['a']]);
  });

  it('shares slots by cacheKeyFn for object keys', async () => {
    const calls: { id: number }[][] = [];
    const aggregator = new RequestAggregator<{ id: number }, number>({
      loadBatch: async (keys) => (calls.push([...keys]), keys.map((key) => key.id * 10)),
      cacheKeyFn: (key) => key.id,
    });
    expect(await Promise.all([aggregator.load({ id: 1 }), aggregator.load({ id: 1 }), aggregator.load({ id: 2 })])).toStrictEqual([10, 10, 20]);
    expect(calls).toStrictEqual([[{ id: 1 }, { id: 2 }]]);
  });
});

describe('RequestAggregator errors', () => {
  it('sends a per-key error to its own callers only', async () => {
    const missing = new Error('no such key b');
    const { loadBatch } = recordingLoader((keys) => keys.map((key) => (key === 'b' ? missing : `v:${key}`)));
    const aggregator = new RequestAggregator({ loadBatch });
    const outcomes = await Promise.all(['a', 'b', 'c', 'b'].map((key) => outcome(aggregator.load(key))));
    expect(outcomes).toStrictEqual(['v:a', missing, 'v:c', missing]);
  });

  it('fails every caller of a batch whose function throws with a BatchFunctionError keeping the cause', async () => {
    const cause = new Error('backend down');
    const { loadBatch } = recordingLoader((keys) => (keys.includes('x') ? Promise.reject(cause) : keys.map((key) => `v:${key}`)));
    const aggregator = new RequestAggregator({ loadBatch, maxBatchSize: 2 });
    const outcomes = await Promise.all(['a', 'x', 'c'].map((key) => outcome(aggregator.load(key))));
    expect(outcomes[0]).toBeInstanceOf(BatchFunctionError);
    expect(outcomes[1]).toBe(outcomes[0]);
    expect((outcomes[0] as BatchFunctionError).cause).toBe(cause);
    expect((outcomes[0] as BatchFunctionError).batchSize).toBe(2);
    expect(outcomes[2]).toBe('v:c');
  });

  it('fails every caller with a BatchResultCountError when the result count is wrong, and never hangs', async () => {
    const { loadBatch } = recordingLoader((keys) => keys.slice(1).map((key) => `v:${key}`));
    const aggregator = new RequestAggregator({ loadBatch });
    const outcomes = await Promise.all(['a', 'b'].map((key) => outcome(aggregator.load(key))));
    expect(outcomes[0]).toBeInstanceOf(BatchResultCountError);
    expect(outcomes[0]).toMatchObject({ expected: 2, received: 1 });
    expect((outcomes[0] as Error).message).toMatch(/expected 2, got 1/);
    expect(outcomes[1]).toBe(outcomes[0]);
  });

  it('reports a non-array result as a BatchResultCountError', async () => {
    const aggregator = new RequestAggregator<string, string>({ loadBatch: async () => undefined as never });
    await expect(aggregator.load('a')).rejects.toMatchObject({ name: 'BatchResultCountError', received: 'a value of type undefined' });
  });

  it('catches a batch function that throws synchronously', async () => {
    const aggregator = new RequestAggregator<string, string>({ loadBatch: () => { throw new Error('sync'); } });
    await expect(aggregator.load('a')).rejects.toThrow(/batch of 1 keys: sync/);
  });

  it('does not cache errors: the next load of a failed key calls the backend again', async () => {
    const { loadBatch, calls } = recordingLoader((keys, call) => keys.map((key) => (call === 1 ? new Error('transient') : `v:${key}`)));
    const aggregator = new RequestAggregator({ loadBatch, cache: { ttlMs: 60_000 } });
    await expect(aggregator.load('a')).rejects.toThrow('transient');
    expect(await aggregator.load('a')).toBe('v:a');
    expect(calls).toStrictEqual([['a'], ['a']]);
  });

  it('returns per-key errors as values from loadMany', async () => {
    const missing = new Error('missing');
    const { loadBatch } = recordingLoader((keys) => keys.map((key) => (key === 'b' ? missing : `v:${key}`)));
    const aggregator = new RequestAggregator({ loadBatch });
    expect(await aggregator.loadMany(['a', 'b'])).toStrictEqual(['v:a', missing]);
  });
});

describe('RequestAggregator concurrency, rate and cache', () => {
  it('runs at most maxConcurrentBatches batches at once, in window order', async () => {
    let active = 0;
    let peak = 0;
    const { loadBatch, calls } = recordingLoader(async (keys) => {
      peak = Math.max(peak, ++active);
      await settle();
      active--;
      return keys.map((key) => `v:${key}`);
    });
    const aggregator = new RequestAggregator({ loadBatch, maxBatchSize: 1, maxConcurrentBatches: 2 });
    const keys = ['a', 'b', 'c', 'd', 'e'];
    expect(await Promise.all(keys.map((key) => aggregator.load(key)))).toStrictEqual(keys.map((key) => `v:${key}`));
    expect(peak).toBe(2);
    expect(calls).toStrictEqual(keys.map((key) => [key]));
  });

  it('starts no more than maxBatchesPerSecond batches in any second of scheduler time', async () => {
    const { loadBatch, calls } = recordingLoader();
    const scheduler = new ManualScheduler();
    const aggregator = new RequestAggregator({ loadBatch, maxBatchSize: 1, maxBatchesPerSecond: 2, scheduler });
    const loads = ['a', 'b', 'c', 'd', 'e'].map((key) => aggregator.load(key));
    await settle();
    expect(calls).toStrictEqual([['a'], ['b']]);
    scheduler.advance(999);
    await settle();
    expect(calls.length).toBe(2);
    scheduler.advance(1);
    await settle();
    expect(calls).toStrictEqual([['a'], ['b'], ['c'], ['d']]);
    scheduler.advance(1_000);
    expect(await Promise.all(loads)).toStrictEqual(['v:a', 'v:b', 'v:c', 'v:d', 'v:e']);
  });

  it('serves cached values until their TTL passes, then loads again', async () => {
    const { loadBatch, calls } = recordingLoader();
    const scheduler = new ManualScheduler();
    const aggregator = new RequestAggregator({ loadBatch, cache: { ttlMs: 100 }, scheduler });
    const first = aggregator.load('a');
    scheduler.advance(0);
    await first;
    scheduler.advance(99);
    expect(await aggregator.load('a')).toBe('v:a');
    expect(calls).toStrictEqual([['a']]);
    scheduler.advance(1);
    const again = aggregator.load('a');
    scheduler.advance(0);
    await again;
    expect(calls).toStrictEqual([['a'], ['a']]);
  });

  it('evicts the least recently used value beyond maxEntries, and clear() forgets a key', async () => {
    const { loadBatch, calls } = recordingLoader();
    const aggregator = new RequestAggregator({ loadBatch, cache: { ttlMs: 60_000, maxEntries: 2 } });
    await aggregator.loadMany(['a', 'b']);
    await aggregator.load('a');
    await aggregator.load('c');
    await aggregator.loadMany(['a', 'b']);
    expect(calls).toStrictEqual([['a', 'b'], ['c'], ['b']]);
    await aggregator.clear('a').load('a');
    expect(calls.at(-1)).toStrictEqual(['a']);
  });

  it('counts loads, batches and keys', async () => {
    const { loadBatch } = recordingLoader();
    const aggregator = new RequestAggregator({ loadBatch, maxBatchSize: 2 });
    await aggregator.loadMany(['a', 'a', 'b', 'c']);
    expect(aggregator.stats()).toStrictEqual({ loads: 4, batches: 2, keys: 3 });
  });
});

describe('RequestAggregator options', () => {
  it('fails on every bad option at once, quoting each value', () => {
    const build = () =>
      new RequestAggregator<string, string>({
        loadBatch: 'nope' as never,
        maxBatchSize: 0,
        maxWaitMs: -1,
        maxConcurrentBatches: 1.5,
        maxBatchesPerSecond: 0,
        cache: { ttlMs: 0, maxEntries: 0 },
        extra: true,
      } as never);
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/unknown option "extra".*loadBatch must be a function, got "nope".*maxBatchSize must be an integer from 1 to 100000, got 0.*maxWaitMs must be a number from 0 to 900000, got -1.*maxConcurrentBatches .* got 1.5.*maxBatchesPerSecond .* got 0.*cache.ttlMs .* got 0.*cache.maxEntries .* got 0/);
  });
});
