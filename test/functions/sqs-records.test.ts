import { describe, expect, it } from 'vitest';
import { toBatchResponse } from '../../functions/lib/work-queue/batch-response';
import { PoisonRecordError, PpError } from '../../functions/lib/errors';
import { parseSqsEvent, recordSize } from '../../functions/lib/work-queue/sqs-records';
import { sqsEvent, sqsRecord } from '../../functions/lib/testing/sqs-event';

describe('parseSqsEvent', () => {
  it('splits records into envelopes and poison, each in event order with its index', () => {
    const event = sqsEvent({ messageId: 'a', body: '{"x":1}', receiveCount: 2 }, { messageId: 'b', body: 'nope' }, { messageId: 'c', body: '2', groupId: 'g' });
    const { envelopes, poison } = parseSqsEvent(event);
    expect(envelopes.map(({ messageId, index, item, receiveCount, groupId }) => ({ messageId, index, item, receiveCount, groupId }))).toStrictEqual([
      { messageId: 'a', index: 0, item: { x: 1 }, receiveCount: 2, groupId: undefined },
      { messageId: 'c', index: 2, item: 2, receiveCount: 1, groupId: 'g' },
    ]);
    expect(poison.map(({ messageId, index }) => [messageId, index])).toStrictEqual([['b', 1]]);
    expect(poison[0]?.error).toBeInstanceOf(PoisonRecordError);
  });

  it('keeps a PoisonRecordError thrown by parse as is, and wraps any other error', () => {
    const { poison } = parseSqsEvent(sqsEvent({ messageId: 'a', body: '1' }, { messageId: 'b', body: '2' }), {
      parse: (body) => {
        if (body === 1) throw new PoisonRecordError('one is banned');
        throw new RangeError('too big');
      },
    });
    expect(poison.map((record) => record.error.reason)).toStrictEqual(['one is banned', 'rejected by parse: too big']);
    expect(poison[1]?.error.cause).toBeInstanceOf(RangeError);
  });

  it('passes the raw body to parse in text mode', () => {
    const { envelopes } = parseSqsEvent(sqsEvent({ messageId: 'a', body: 'plain text' }), { bodyFormat: 'text', parse: (body) => String(body).toUpperCase() });
    expect(envelopes[0]?.item).toBe('PLAIN TEXT');
  });

  it('treats a record whose body is not a string as poison', () => {
    const event = { Records: [{ ...sqsRecord({ messageId: 'a', body: '' }), body: 42 as unknown as string }] };
    expect(parseSqsEvent(event).poison[0]?.error.reason).toBe('wrong shape: the record body is not a string');
  });

  it('fails the invocation for an event that is not an SQS event', () => {
    expect(() => parseSqsEvent({} as never)).toThrow(PpError);
    expect(() => parseSqsEvent({ Records: [{}] } as never)).toThrow('SQS record 0 has no messageId');
  });
});

describe('recordSize', () => {
  it('counts the body and the message attributes as SQS does', () => {
    const record = sqsRecord({ messageId: 'a', body: 'héllo', messageAttributes: { k: { dataType: 'String', stringValue: 'v€' } } });
    expect(recordSize(record)).toBe(6 + 1 + 6 + 4);
  });
});

describe('toBatchResponse', () => {
  it('lists exactly the failed records on a standard queue', () => {
    const records = sqsEvent({ messageId: 'a', body: '' }, { messageId: 'b', body: '' }, { messageId: 'c', body: '' }).Records;
    expect(toBatchResponse(records, new Set(['c', 'a']))).toStrictEqual({ batchItemFailures: [{ itemIdentifier: 'a' }, { itemIdentifier: 'c' }] });
  });

  it('on FIFO also fails every later record of a failed record\'s group, and no other', () => {
    const records = sqsEvent(
      { messageId: 'a1', body: '', groupId: 'a' },
      { messageId: 'b1', body: '', groupId: 'b' },
      { messageId: 'a2', body: '', groupId: 'a' },
      { messageId: 'a3', body: '', groupId: 'a' },
      { messageId: 'b2', body: '', groupId: 'b' },
    ).Records;
    expect(toBatchResponse(records, new Set(['a2'])).batchItemFailures.map((failure) => failure.itemIdentifier)).toStrictEqual(['a2', 'a3']);
  });
});
