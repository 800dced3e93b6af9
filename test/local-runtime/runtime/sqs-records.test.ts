import { describe, expect, it } from 'vitest';
import { parseEventPattern } from '../../../local-runtime/scheduling/event-pattern';
import { failedIds } from '../../../local-runtime/runtime/esm/sqs-poller';
import { passesFilters, toSqsRecord, type ReceivedMessage } from '../../../local-runtime/runtime/esm/sqs-records';

const message = (id: string, body: string, extra: Partial<ReceivedMessage> = {}): ReceivedMessage => ({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: body, ...extra });
const record = (id: string, body: string, extra: Partial<ReceivedMessage> = {}) => toSqsRecord(message(id, body, extra), 'arn:aws:sqs:us-east-1:000000000000:q', 'us-east-1');
const pattern = (p: object) => parseEventPattern(JSON.stringify(p));

describe('toSqsRecord', () => {
  it('builds the record Lambda delivers', () => {
    const r = record('m1', '{"a":1}', { MD5OfBody: 'md5', Attributes: { ApproximateReceiveCount: '2' }, MessageAttributes: { Reason: { DataType: 'String', StringValue: 'bad' } } });
    expect(r).toStrictEqual({
      messageId: 'm1', receiptHandle: 'rh-m1', body: '{"a":1}', attributes: { ApproximateReceiveCount: '2' },
      messageAttributes: { Reason: { stringValue: 'bad', binaryValue: undefined, stringListValues: [], binaryListValues: [], dataType: 'String' } },
      md5OfBody: 'md5', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q', awsRegion: 'us-east-1',
    });
  });
});

describe('passesFilters', () => {
  it('passes everything without filters', () => {
    expect(passesFilters(record('m', 'not json'), [])).toBe(true);
  });

  it('matches exact values, prefixes and anything-but in a JSON body', () => {
    const filters = [pattern({ body: { kind: ['order'], sku: [{ prefix: 'A-' }], state: [{ 'anything-but': ['cancelled'] }] } })];
    expect(passesFilters(record('m', '{"kind":"order","sku":"A-1","state":"new"}'), filters)).toBe(true);
    expect(passesFilters(record('m', '{"kind":"order","sku":"B-1","state":"new"}'), filters)).toBe(false);
    expect(passesFilters(record('m', '{"kind":"order","sku":"A-1","state":"cancelled"}'), filters)).toBe(false);
  });

  it('matches numeric ranges and exists', () => {
    const filters = [pattern({ body: { amount: [{ numeric: ['>', 10, '<=', 20] }], coupon: [{ exists: false }] } })];
    expect(passesFilters(record('m', '{"amount":15}'), filters)).toBe(true);
    expect(passesFilters(record('m', '{"amount":25}'), filters)).toBe(false);
    expect(passesFilters(record('m', '{"amount":15,"coupon":"x"}'), filters)).toBe(false);
  });

  it('matches message attributes and system attributes', () => {
    const filters = [pattern({ messageAttributes: { Priority: { stringValue: ['high'] } }, attributes: { ApproximateReceiveCount: ['1'] } })];
    const high = record('m', 'x', { Attributes: { ApproximateReceiveCount: '1' }, MessageAttributes: { Priority: { DataType: 'String', StringValue: 'high' } } });
    const retried = record('m', 'x', { Attributes: { ApproximateReceiveCount: '2' }, MessageAttributes: { Priority: { DataType: 'String', StringValue: 'high' } } });
    expect([passesFilters(high, filters), passesFilters(retried, filters)]).toStrictEqual([true, false]);
  });

  it('matches a non-JSON body as a plain string', () => {
    const filters = [pattern({ body: [{ prefix: 'hello' }] })];
    expect([passesFilters(record('m', 'hello world'), filters), passesFilters(record('m', 'bye'), filters)]).toStrictEqual([true, false]);
  });

  it('passes a record that matches any one of several filters', () => {
    const filters = [pattern({ body: { kind: ['a'] } }), pattern({ body: { kind: ['b'] } })];
    expect([passesFilters(record('m', '{"kind":"b"}'), filters), passesFilters(record('m', '{"kind":"c"}'), filters)]).toStrictEqual([true, false]);
  });
});

describe('failedIds', () => {
  const records = [record('a', '1'), record('b', '2')];

  it('reads the failed message IDs of a partial batch response', () => {
    expect([...failedIds({ batchItemFailures: [{ itemIdentifier: 'b' }] }, records)]).toStrictEqual(['b']);
  });

  it('treats an empty or absent response as all succeeded', () => {
    expect([failedIds(undefined, records).size, failedIds({}, records).size, failedIds({ batchItemFailures: [] }, records).size]).toStrictEqual([0, 0, 0]);
  });

  it('fails the whole batch on an unknown or empty itemIdentifier, as Lambda does', () => {
    expect([...failedIds({ batchItemFailures: [{ itemIdentifier: 'zzz' }] }, records)].sort()).toStrictEqual(['a', 'b']);
    expect([...failedIds({ batchItemFailures: [{ itemIdentifier: '' }] }, records)].sort()).toStrictEqual(['a', 'b']);
  });
});
