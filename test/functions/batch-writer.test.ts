import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchWriter, type WriteRequest } from '../../functions/lib/batch-writer';
import { ConfigError, InvalidEntryError, UnprocessedItemsError } from '../../functions/lib/errors';
import { awsError, recordingWritePort } from '../../functions/lib/testing/recording-ports';

const noSleep = { sleep: async () => undefined, random: () => 0 };
const puts = (count: number): WriteRequest[] => Array.from({ length: count }, (_, index) => ({ put: { pk: `k${index}`, n: index } }));
const pks = (calls: readonly WriteRequest[][]): string[][] =>
  calls.map((call) => call.map((request) => String(('put' in request ? request.put : request.delete).pk)));
const keys = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, index) => `k${from + index}`);

async function writeError(writer: BatchWriter, requests: readonly WriteRequest[]): Promise<UnprocessedItemsError<WriteRequest>> {
  const error = await writer.write(requests).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(UnprocessedItemsError);
  return error as UnprocessedItemsError<WriteRequest>;
}

describe('BatchWriter.write', () => {
  it('writes 60 requests in BatchWriteItem calls of 25, 25 and 10', async () => {
    const { port, calls } = recordingWritePort();
    const result = await new BatchWriter({ port, keyAttributes: ['pk'], concurrency: 1 }).write(puts(60));
    expect(pks(calls)).toStrictEqual([keys(0, 25), keys(25, 50), keys(50, 60)]);
    expect(result).toStrictEqual({ written: 60, requests: 3 });
  });

  it('re-sends only the UnprocessedItems, with backoff', async () => {
    const sleeps: number[] = [];
    const { port, calls } = recordingWritePort((_, call) => ({
      // DynamoDB returns fresh copies of the unprocessed requests, not the objects it was sent.
      unprocessed: call === 1 ? [{ put: { pk: 'k4', n: 4 } }, { put: { pk: 'k9', n: 9 } }] : [],
    }));
    const writer = new BatchWriter({ port, keyAttributes: ['pk'], baseDelayMs: 20, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) });
    await writer.write(puts(10));
    expect(pks(calls)).toStrictEqual([keys(0, 10), ['k4', 'k9']]);
    expect(sleeps).toStrictEqual([10]);
  });

  it('retries the whole chunk when the call is throttled', async () => {
    const { port, calls } = recordingWritePort((_, call) => (call === 1 ? { throws: awsError('ProvisionedThroughputExceededException') } : { unprocessed: [] }));
    await new BatchWriter({ port, keyAttributes: ['pk'], ...noSleep }).write(puts(3));
    expect(pks(calls)).toStrictEqual([keys(0, 3), keys(0, 3)]);
  });

  it('throws UnprocessedItemsError with what is left after maxAttempts, in input order', async () => {
    const { port, calls } = recordingWritePort((requests) => ({ unprocessed: requests.filter((request) => 'put' in request && (request.put.n as number) % 10 === 7) }));
    const error = await writeError(new BatchWriter({ port, keyAttributes: ['pk'], maxAttempts: 2, concurrency: 1, ...noSleep }), puts(30));
    expect(pks(calls)).toStrictEqual([keys(0, 25), ['k7', 'k17'], keys(25, 30), ['k27']]);
    expect(error.unprocessed).toStrictEqual([{ put: { pk: 'k7', n: 7 } }, { put: { pk: 'k17', n: 17 } }, { put: { pk: 'k27', n: 27 } }]);
  });

  it('stops at a non-retryable error and reports its chunk unprocessed with the cause', async () => {
    const validation = awsError('ValidationException');
    const { port, calls } = recordingWritePort(() => ({ throws: validation }));
    const error = await writeError(new BatchWriter({ port, keyAttributes: ['pk'], ...noSleep }), puts(2));
    expect(calls).toHaveLength(1);
    expect(error.unprocessed).toStrictEqual(puts(2));
    expect(error.cause).toBe(validation);
  });

  it('puts writes to the same key in separate calls, in the order given', async () => {
    const { port, calls } = recordingWritePort();
    const requests: WriteRequest[] = [{ put: { pk: 'a', v: 1 } }, { put: { pk: 'b', v: 1 } }, { delete: { pk: 'a' } }, { put: { pk: 'a', v: 3 } }];
    await new BatchWriter({ port, keyAttributes: ['pk'] }).write(requests);
    expect(calls).toStrictEqual([[requests[0], requests[1]], [requests[2]], [requests[3]]]);
  });

  it('tells keys apart by partition and sort key together', async () => {
    const { port, calls } = recordingWritePort();
    const writer = new BatchWriter({ port, keyAttributes: ['pk', 'sk'] });
    await writer.put([{ pk: 'a', sk: 1 }, { pk: 'a', sk: 2 }, { pk: 'a', sk: 1, x: true }]);
    expect(calls.map((call) => call.length)).toStrictEqual([2, 1]);
  });

  it('holds back later writes of a key whose earlier write stayed unprocessed', async () => {
    const { port, calls } = recordingWritePort((requests) => ({ unprocessed: requests.filter((request) => 'delete' in request) }));
    const requests: WriteRequest[] = [{ delete: { pk: 'a' } }, { put: { pk: 'b' } }, { put: { pk: 'a', v: 2 } }];
    const error = await writeError(new BatchWriter({ port, keyAttributes: ['pk'], maxAttempts: 2, ...noSleep }), requests);
    expect(calls).toStrictEqual([[requests[0], requests[1]], [requests[0]]]);
    expect(error.unprocessed).toStrictEqual([requests[0], requests[2]]);
  });

  it('applies every key\'s writes in input order and never sends one key twice in a call', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 80 }), async (keyIndexes) => {
        const requests: WriteRequest[] = keyIndexes.map((key, seq) => ({ put: { pk: `k${key}`, seq } }));
        const { port, calls } = recordingWritePort();
        await new BatchWriter({ port, keyAttributes: ['pk'], concurrency: 3 }).write(requests);
        for (const call of calls) expect(new Set(pks([call])[0]).size).toBe(call.length);
        const applied = new Map<string, number[]>();
        for (const request of calls.flat()) {
          const { pk, seq } = (request as { put: { pk: string; seq: number } }).put;
          applied.set(pk, [...(applied.get(pk) ?? []), seq]);
        }
        for (const seqs of applied.values()) expect(seqs).toStrictEqual([...seqs].sort((a, b) => a - b));
        expect(calls.flat()).toHaveLength(requests.length);
      }),
    );
  });

  it('fails before writing anything if a request lacks a key attribute', async () => {
    const { port, calls } = recordingWritePort();
    await expect(new BatchWriter({ port, keyAttributes: ['pk', 'sk'] }).put([{ pk: 'a', sk: 1 }, { pk: 'b' }])).rejects.toThrow(InvalidEntryError);
    await expect(new BatchWriter({ port, keyAttributes: ['pk'] }).delete([{ id: 'x' }])).rejects.toThrow(/Entry "0": missing key attribute "pk"/);
    expect(calls).toHaveLength(0);
  });

  it('fails if options are out of range, naming every one', () => {
    const { port } = recordingWritePort();
    expect(() => new BatchWriter({ port, keyAttributes: [], maxAttempts: 21 })).toThrow(ConfigError);
    expect(() => new BatchWriter({ port, keyAttributes: ['a', 'b', 'c'], concurrency: 0 })).toThrow(
      /keyAttributes must name 1 or 2 attributes, got \["a","b","c"\]; concurrency must be an integer from 1 to 100, got 0/,
    );
  });
});
