import { describe, expect, it } from 'vitest';
import { PoisonRecordError } from '../../functions/lib/errors';
import { parseCompletion, parseSubmission, parseTimeoutPayload } from '../../functions/lib/sparse-task';

describe('parseSubmission', () => {
  it('reads every field, converting timeoutSeconds to ms', () => {
    expect(parseSubmission('{"taskId":"t1","input":{"a":1},"timeoutSeconds":120,"correlationId":"c"}'))
      .toStrictEqual({ taskId: 't1', input: { a: 1 }, timeoutMs: 120_000, correlationId: 'c' });
  });

  it('rejects as poison, naming every problem: unknown key, empty task id, out-of-range timeout', () => {
    const parse = () => parseSubmission('{"taskId":"","timeoutSeconds":30,"extra":1}');
    expect(parse).toThrow(PoisonRecordError);
    expect(parse).toThrow(/unknown key "extra".*taskId must be a non-empty string.*timeoutSeconds must be an integer from 60 to 31536000, got 30/);
  });

  it('rejects a body that is not JSON as poison', () => {
    expect(() => parseSubmission('not json')).toThrow(/submission is not valid JSON/);
  });
});

describe('parseCompletion', () => {
  it('reads a bare completion and dedupes by the SQS message id when it names no event id', () => {
    expect(parseCompletion('{"taskId":"t1","status":"SUCCEEDED","result":[1]}', 'msg-1')).toStrictEqual({ taskId: 't1', status: 'SUCCEEDED', eventId: 'msg-1', result: [1] });
  });

  it('prefers the event id the message names', () => {
    expect(parseCompletion('{"taskId":"t1","status":"FAILED","eventId":"ext-9","error":{"code":"E","message":"m"}}', 'msg-1'))
      .toStrictEqual({ taskId: 't1', status: 'FAILED', eventId: 'ext-9', error: { code: 'E', message: 'm' } });
  });

  it('reads the detail of an EventBridge event and dedupes by the event id', () => {
    const body = JSON.stringify({ id: 'eb-1', 'detail-type': 'Job Done', source: 'x', detail: { taskId: 't1', status: 'SUCCEEDED', correlationId: 'c1' } });
    expect(parseCompletion(body, 'msg-1')).toStrictEqual({ taskId: 't1', status: 'SUCCEEDED', eventId: 'eb-1', correlationId: 'c1' });
  });

  it('maps a RollingPoller completion: done → SUCCEEDED, one event id per task', () => {
    const body = JSON.stringify({ id: 't1', outcome: 'done', status: 'COMPLETE', result: { size: 3 }, addedAt: 1, completedAt: 2, polls: 4 });
    expect(parseCompletion(body, 'msg-1')).toStrictEqual({ taskId: 't1', status: 'SUCCEEDED', eventId: 'rolling-poller:t1', result: { size: 3 } });
  });

  it('maps a RollingPoller completion: done with status FAILED, and gave-up, → FAILED', () => {
    const failed = JSON.stringify({ id: 't1', outcome: 'done', status: 'FAILED', addedAt: 1, completedAt: 2, polls: 1 });
    const gaveUp = JSON.stringify({ id: 't2', outcome: 'gave-up', error: 'HTTP 500', addedAt: 1, completedAt: 2, polls: 5 });
    expect(parseCompletion(failed, 'm')).toMatchObject({ taskId: 't1', status: 'FAILED', error: { code: 'FAILED' } });
    expect(parseCompletion(gaveUp, 'm')).toStrictEqual({ taskId: 't2', status: 'FAILED', eventId: 'rolling-poller:t2', error: { code: 'PollerGaveUp', message: 'HTTP 500' } });
  });

  it('rejects as poison a completion with a status other than SUCCEEDED or FAILED', () => {
    expect(() => parseCompletion('{"taskId":"t1","status":"TIMED_OUT"}', 'm')).toThrow(/status must be "SUCCEEDED" or "FAILED", got "TIMED_OUT"/);
  });

  it('rejects as poison an error that is not { code, message }', () => {
    expect(() => parseCompletion('{"taskId":"t1","status":"FAILED","error":"boom"}', 'm')).toThrow(/error must be \{ code: string, message: string \}, got "boom"/);
  });
});

describe('parseTimeoutPayload', () => {
  it('reads an object or a JSON string', () => {
    expect(parseTimeoutPayload({ taskId: 't1' })).toStrictEqual({ taskId: 't1' });
    expect(parseTimeoutPayload('{"taskId":"t1"}')).toStrictEqual({ taskId: 't1' });
  });

  it('rejects as poison a payload with unknown keys or no task id', () => {
    expect(() => parseTimeoutPayload({ task: 't1' })).toThrow(/unknown key "task".*taskId must be a non-empty string/);
  });
});

describe('parseCompletion size limits (the record is one DynamoDB item, the finished event one PutEvents entry)', () => {
  it('accepts a result of exactly 240 KiB as JSON', () => {
    const result = 'x'.repeat(240 * 1024 - 2);
    expect(parseCompletion(JSON.stringify({ taskId: 't1', status: 'SUCCEEDED', result }), 'm')).toStrictEqual({ taskId: 't1', status: 'SUCCEEDED', eventId: 'm', result });
  });

  it('rejects as poison a result one byte over, naming the limit and the size', () => {
    const body = JSON.stringify({ taskId: 't1', status: 'SUCCEEDED', result: 'x'.repeat(240 * 1024 - 1) });
    expect(() => parseCompletion(body, 'm')).toThrow(PoisonRecordError);
    expect(() => parseCompletion(body, 'm')).toThrow(/result and error must be at most 245760 bytes as JSON together .* got 245761: store the result elsewhere/);
  });

  it('counts the error against the same limit', () => {
    const body = JSON.stringify({ taskId: 't1', status: 'FAILED', error: { code: 'E', message: 'm'.repeat(240 * 1024) } });
    expect(() => parseCompletion(body, 'm')).toThrow(/result and error must be at most 245760 bytes as JSON together .* got 245785/);
  });

  it('applies the limit to a RollingPoller completion too', () => {
    const body = JSON.stringify({ id: 't1', outcome: 'done', status: 'FAILED', result: 'x'.repeat(240 * 1024), addedAt: 1, completedAt: 2, polls: 1 });
    expect(() => parseCompletion(body, 'm')).toThrow(/^invalid RollingPoller completion: result and error must be at most 245760 bytes/);
  });

  it('rejects as poison an event id or correlation id over 512 characters', () => {
    const body = JSON.stringify({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e'.repeat(513), correlationId: 'c'.repeat(600) });
    expect(() => parseCompletion(body, 'm')).toThrow('invalid completion: eventId must be at most 512 characters, got 513; correlationId must be at most 512 characters, got 600');
  });

  it('rejects as poison a submission whose correlation id is over 512 characters', () => {
    expect(() => parseSubmission(JSON.stringify({ taskId: 't1', correlationId: 'c'.repeat(513) }))).toThrow('invalid submission: correlationId must be at most 512 characters, got 513');
  });

  it('rejects as poison a RollingPoller completion whose id is over 512 characters', () => {
    const body = JSON.stringify({ id: 'i'.repeat(513), outcome: 'done', addedAt: 1, completedAt: 2, polls: 1 });
    expect(() => parseCompletion(body, 'm')).toThrow('invalid RollingPoller completion: id must be at most 512 characters, got 513');
  });
});
