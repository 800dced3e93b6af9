/**
 * Packing items into batches that respect both an entry-count and a byte limit.
 *
 * Batch APIs cap a call twice (SQS: 10 entries and 1 MiB), so packing by count alone fails on
 * large items and packing by bytes alone wastes calls on small ones.
 */
import { ConfigError, OversizeEntryError } from './errors';

/** How {@link chunkByCountAndBytes} packs. */
export interface ChunkOptions<T> {
  /** Most entries per chunk; an integer ≥ 1. */
  readonly maxEntries: number;
  /** Most bytes per chunk (sum of `sizeOf`); ≥ 1. */
  readonly maxBytes: number;
  /** Size of one entry in bytes. */
  readonly sizeOf: (item: T, index: number) => number;
  /** Name of an entry in an {@link OversizeEntryError}. @default - its index in `items` */
  readonly idOf?: (item: T, index: number) => string;
}

/**
 * Splits `items` into consecutive chunks, each within `maxEntries` and `maxBytes`.
 *
 * Greedy and order-preserving: every item lands in exactly one chunk, in input order, and a
 * new chunk starts only when the next item would break a limit.
 *
 * @throws ConfigError if a limit is not a positive number
 * @throws OversizeEntryError if one item alone is larger than `maxBytes`
 */
export function chunkByCountAndBytes<T>(items: readonly T[], options: ChunkOptions<T>): T[][] {
  validateChunkOptions(options);
  const chunks: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  items.forEach((item, index) => {
    const size = options.sizeOf(item, index);
    if (size > options.maxBytes) {
      const id = options.idOf ? options.idOf(item, index) : String(index);
      throw new OversizeEntryError(id, size, options.maxBytes);
    }
    if (current.length === options.maxEntries || currentBytes + size > options.maxBytes) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += size;
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Splits `items` into consecutive chunks of at most `size` entries. */
export function chunkByCount<T>(items: readonly T[], size: number): T[][] {
  return chunkByCountAndBytes(items, { maxEntries: size, maxBytes: Number.MAX_SAFE_INTEGER, sizeOf: () => 0 });
}

function validateChunkOptions<T>(options: ChunkOptions<T>): void {
  const violations: string[] = [];
  if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
    violations.push(`maxEntries must be an integer ≥ 1, got ${String(options.maxEntries)}`);
  }
  if (!(options.maxBytes >= 1)) {
    violations.push(`maxBytes must be a number ≥ 1, got ${String(options.maxBytes)}`);
  }
  if (violations.length > 0) throw new ConfigError(violations);
}
