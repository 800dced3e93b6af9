import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  FifoGroupStoppedError,
  FullBatchFailureError,
  InvalidEntryError,
  OversizeEntryError,
  PartialSendError,
  PoisonRecordError,
  PpError,
  UnprocessedItemsError,
} from '../../functions/lib/errors';

describe('error hierarchy', () => {
  it.each([
    ['ConfigError', new ConfigError(['a'])],
    ['PoisonRecordError', new PoisonRecordError('r')],
    ['OversizeEntryError', new OversizeEntryError('e', 2, 1)],
    ['InvalidEntryError', new InvalidEntryError('e', 'bad')],
    ['PartialSendError', new PartialSendError([])],
    ['UnprocessedItemsError', new UnprocessedItemsError([])],
    ['FullBatchFailureError', new FullBatchFailureError(new Map())],
    ['FifoGroupStoppedError', new FifoGroupStoppedError('g')],
  ])('%s is a PpError and an Error, with its class name as a literal `name`', (name, error) => {
    expect(error).toBeInstanceOf(PpError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
  });

  it('keeps the cause', () => {
    const cause = new Error('root');
    expect(new PoisonRecordError('bad', { cause }).cause).toBe(cause);
    expect(new UnprocessedItemsError([], { cause }).cause).toBe(cause);
  });

  it('carries the data a caller acts on', () => {
    expect(new OversizeEntryError('m1', 2_000_000, 1_048_576)).toMatchObject({ entryId: 'm1', size: 2_000_000, limit: 1_048_576, message: 'Entry "m1" is 2000000 bytes, over the 1048576-byte limit' });
    expect(new ConfigError(['x must be 1, got 2', 'y unknown'])).toMatchObject({ violations: ['x must be 1, got 2', 'y unknown'], message: 'Invalid configuration: x must be 1, got 2; y unknown' });
    const failed = [{ id: '3', code: 'InternalError', message: 'm', senderFault: false }];
    expect(new PartialSendError(failed)).toMatchObject({ failed, message: '1 entries not sent: 3 (InternalError)' });
    expect(new UnprocessedItemsError([{ put: { pk: 'a' } }]).unprocessed).toStrictEqual([{ put: { pk: 'a' } }]);
    expect(new PoisonRecordError('malformed JSON').reason).toBe('malformed JSON');
  });

  it('makes the first record error the cause of a full batch failure', () => {
    const first = new Error('first');
    const error = new FullBatchFailureError(new Map<string, unknown>([['a', first], ['b', new Error('second')]]));
    expect(error.cause).toBe(first);
    expect(error.message).toBe('All 2 records of the batch failed');
  });
});
