import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkByCount, chunkByCountAndBytes } from '../../functions/lib/chunk';
import { ConfigError, OversizeEntryError } from '../../functions/lib/errors';
import { DynamoDbLimits, SqsLimits } from '../../functions/lib/limits';
import { sqsMessageSize } from '../../functions/lib/queue-port';

interface Sized {
  readonly id: number;
  readonly size: number;
}

const limitsAndItems = fc
  .record({ maxEntries: fc.integer({ min: 1, max: 12 }), maxBytes: fc.integer({ min: 1, max: 2_000 }) })
  .chain((limits) =>
    fc.record({
      limits: fc.constant(limits),
      sizes: fc.array(fc.integer({ min: 0, max: limits.maxBytes }), { maxLength: 80 }),
    }),
  );

const toItems = (sizes: readonly number[]): Sized[] => sizes.map((size, id) => ({ id, size }));

describe('chunkByCountAndBytes', () => {
  it('keeps every item exactly once and in order', () => {
    fc.assert(
      fc.property(limitsAndItems, ({ limits, sizes }) => {
        const items = toItems(sizes);
        const chunks = chunkByCountAndBytes(items, { ...limits, sizeOf: (item) => item.size });
        expect(chunks.flat()).toStrictEqual(items);
      }),
    );
  });

  it('keeps every chunk non-empty and within both limits', () => {
    fc.assert(
      fc.property(limitsAndItems, ({ limits, sizes }) => {
        const chunks = chunkByCountAndBytes(toItems(sizes), { ...limits, sizeOf: (item) => item.size });
        for (const chunk of chunks) {
          expect(chunk.length).toBeGreaterThan(0);
          expect(chunk.length).toBeLessThanOrEqual(limits.maxEntries);
          expect(chunk.reduce((sum, item) => sum + item.size, 0)).toBeLessThanOrEqual(limits.maxBytes);
        }
      }),
    );
  });

  it('starts a chunk only when the next item would break a limit (greedy packing)', () => {
    fc.assert(
      fc.property(limitsAndItems, ({ limits, sizes }) => {
        const chunks = chunkByCountAndBytes(toItems(sizes), { ...limits, sizeOf: (item) => item.size });
        chunks.slice(0, -1).forEach((chunk, index) => {
          const next = chunks[index + 1]![0]!;
          const bytes = chunk.reduce((sum, item) => sum + item.size, 0);
          expect(chunk.length === limits.maxEntries || bytes + next.size > limits.maxBytes).toBe(true);
        });
      }),
    );
  });

  it('throws OversizeEntryError naming the first item larger than maxBytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 20 }),
        fc.integer({ min: 101, max: 10_000 }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 20 }),
        (before, oversize, after) => {
          const items = toItems([...before, oversize, ...after]);
          const run = () => chunkByCountAndBytes(items, { maxEntries: 10, maxBytes: 100, sizeOf: (item) => item.size, idOf: (item) => `item-${item.id}` });
          expect(run).toThrow(OversizeEntryError);
          try {
            run();
          } catch (error) {
            expect(error).toMatchObject({ entryId: `item-${before.length}`, size: oversize, limit: 100 });
          }
        },
      ),
    );
  });

  it('names an oversize item by its index when no idOf is given', () => {
    expect(() => chunkByCountAndBytes(['a', 'bbbb'], { maxEntries: 5, maxBytes: 3, sizeOf: (item) => item.length })).toThrow(
      expect.objectContaining({ name: 'OversizeEntryError', entryId: '1', size: 4, limit: 3 }),
    );
  });

  it('packs 25 SQS messages of mixed sizes into 10-entry, 1 MiB batches', () => {
    const bodies = Array.from({ length: 25 }, (_, index) => 'x'.repeat(index % 5 === 0 ? 400_000 : 100));
    const chunks = chunkByCountAndBytes(bodies, {
      maxEntries: SqsLimits.maxBatchEntries,
      maxBytes: SqsLimits.maxBatchBytes,
      sizeOf: (body) => sqsMessageSize({ body }),
    });
    expect(chunks.map((chunk) => chunk.length)).toStrictEqual([10, 10, 5]);
  });

  it('fails if a limit is not a positive number, naming both', () => {
    expect(() => chunkByCountAndBytes([1], { maxEntries: 0, maxBytes: Number.NaN, sizeOf: () => 1 })).toThrow(
      /maxEntries must be an integer ≥ 1, got 0.*maxBytes must be a number ≥ 1, got NaN/,
    );
    expect(() => chunkByCountAndBytes([1], { maxEntries: 1.5, maxBytes: 1, sizeOf: () => 1 })).toThrow(ConfigError);
  });
});

describe('chunkByCount', () => {
  it('splits DynamoDB writes into chunks of 25 regardless of size', () => {
    const chunks = chunkByCount(Array.from({ length: 60 }, (_, index) => index), DynamoDbLimits.maxBatchWriteItems);
    expect(chunks.map((chunk) => chunk.length)).toStrictEqual([25, 25, 10]);
    expect(chunks.flat()).toStrictEqual(Array.from({ length: 60 }, (_, index) => index));
  });
});

describe('sqsMessageSize', () => {
  it('counts the body and each attribute name, type and value in UTF-8 bytes', () => {
    // "é" is 2 bytes, "€" is 3; "String" (the data type) is 6.
    expect(sqsMessageSize({ body: 'é€', attributes: { ab: 'c€' } })).toBe(5 + 2 + 6 + 4);
  });
});
