import { describe, expect, it } from 'vitest';
import { requestTally, rowsBetween } from '../../bench/runtime-bench';
import type { RequestCountRow } from '../../local-runtime/runtime';

const row = (principal: string, service: string, operation: string, requests: number, emptyReceives = 0): RequestCountRow =>
  ({ principal, service, operation, requests, emptyReceives, denied: 0, throttled: 0 });

describe('rowsBetween', () => {
  it('keeps what was served between two snapshots: grown rows by their growth, new rows whole, unchanged rows dropped', () => {
    const before = [row('driver', 'sqs', 'SendMessageBatch', 4), row('poller', 'sqs', 'ReceiveMessage', 10, 3), row('fn-a', 'dynamodb', 'Query', 2)];
    const after = [row('driver', 'sqs', 'SendMessageBatch', 9), row('poller', 'sqs', 'ReceiveMessage', 16, 5), row('fn-a', 'dynamodb', 'Query', 2), row('fn-a', 'lambda', 'Invocation', 3)];
    expect(rowsBetween(before, after)).toStrictEqual([
      row('driver', 'sqs', 'SendMessageBatch', 5), row('poller', 'sqs', 'ReceiveMessage', 6, 2), row('fn-a', 'lambda', 'Invocation', 3),
    ]);
  });
});

describe('requestTally', () => {
  it('counts requests under the one definition: invocations counted, empty receives and Invoke calls apart', () => {
    const rows = [row('poller', 'sqs', 'ReceiveMessage', 6, 2), row('fn-a', 'lambda', 'Invocation', 3), row('driver', 'lambda', 'Invoke', 3), row('fn-a', 'dynamodb', 'PutItem', 4)];
    expect(requestTally(rows)).toStrictEqual({ total: 11, byService: { sqs: 4, lambda: 3, dynamodb: 4 }, emptyReceives: 2 });
  });
});
