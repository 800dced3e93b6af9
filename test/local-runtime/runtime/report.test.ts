import { describe, expect, it } from 'vitest';
import { RequestCounter } from '../../../local-runtime/runtime/accounting/request-counter';
import { buildReport, serviceTable, summaryLine } from '../../../local-runtime/runtime/accounting/report';

const noFaults = { invocationsFailed: 0, duplicatesDelivered: 0, requestsThrottled: 0 };

function counted(): RequestCounter {
  const counter = new RequestCounter();
  for (let i = 0; i < 10; i++) counter.record('driver', 'sqs', 'SendMessageBatch', 'served');
  for (let i = 0; i < 12; i++) counter.record('poller', 'sqs', 'ReceiveMessage', 'served', i >= 10);
  for (let i = 0; i < 40; i++) counter.record('Worker', 'dynamodb', 'BatchWriteItem', 'served');
  counter.record('Worker', 'dynamodb', 'PutItem', 'denied');
  counter.record('Worker', 'dynamodb', 'BatchWriteItem', 'throttled');
  return counter;
}

describe('buildReport', () => {
  const report = buildReport({ itemsIn: 100, done: 95, deadLettered: 3, rows: counted().rowsSnapshot(), faults: noFaults, elapsedMs: 2000 });

  it('computes lost as in − done − dead-lettered', () => {
    expect(report.lost).toBe(2);
  });

  it('counts billable requests per item without empty receives, denials or throttles', () => {
    expect([report.requests, report.requestsPerItem, report.emptyReceives]).toStrictEqual([60, 0.6, 2]);
  });

  it('breaks requests down per service', () => {
    expect(report.services).toStrictEqual([
      { service: 'dynamodb', requests: 40, emptyReceives: 0, denied: 1, throttled: 1, perItem: 0.4 },
      { service: 'sqs', requests: 20, emptyReceives: 2, denied: 0, throttled: 0, perItem: 0.2 },
    ]);
  });

  it('prints the one-line summary', () => {
    expect(summaryLine(report)).toBe('summary: in=100 done=95 dlq=3 lost=2 requests/item=0.600');
  });

  it('prints one table row per service', () => {
    expect(serviceTable(report).split('\n').map((l) => l.split(/\s+/)[0])).toStrictEqual(['service', 'dynamodb', 'sqs']);
  });
});

describe('requests per item, as billing.ts defines them', () => {
  it('adds every Lambda invocation once, and not a function\'s Invoke call a second time', () => {
    const counter = counted();
    let invoked = 3;
    counter.trackInvocations(() => [['Worker', invoked]]);
    invoked += 5;
    counter.record('Caller', 'lambda', 'Invoke', 'served');
    const report = buildReport({ itemsIn: 100, done: 100, deadLettered: 0, rows: counter.rowsSnapshot(), faults: noFaults, elapsedMs: 1 });
    expect(report.services.find((s) => s.service === 'lambda')?.requests).toBe(5);
    expect(report.requests).toBe(65);
  });

  it('counts invocations from the last reset on', () => {
    const counter = new RequestCounter();
    let invoked = 0;
    counter.trackInvocations(() => [['Worker', invoked]]);
    invoked = 4;
    counter.reset();
    invoked = 6;
    expect(counter.rowsSnapshot()).toStrictEqual([{ principal: 'Worker', service: 'lambda', operation: 'Invocation', requests: 2, emptyReceives: 0, denied: 0, throttled: 0 }]);
  });
});
