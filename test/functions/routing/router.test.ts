import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartialSendError, PoisonRecordError } from '../../../functions/lib/errors';
import { QueuePublisher, type PublishMessage } from '../../../functions/lib/publisher';
import { recordingSendPort } from '../../../functions/lib/testing/recording-ports';
import { groupByOutput, routeRecords, type OutputPublisher, type RoutedRecord } from '../../../functions/lib/routing/route-records';

/** A publisher that records every publish call and fails the ids it is told to. */
function recordingPublisher(failIds: ReadonlySet<string> = new Set()): [OutputPublisher, PublishMessage[][]] {
  const calls: PublishMessage[][] = [];
  const publisher: OutputPublisher = {
    async publish(messages) {
      calls.push([...messages]);
      const failed = messages.filter((m) => failIds.has(m.id as string));
      if (failed.length > 0) {
        throw new PartialSendError(failed.map((m) => ({ id: m.id as string, code: 'InternalError', message: 'boom', senderFault: false })));
      }
      return { sent: messages.length, requests: 1 };
    },
  };
  return [publisher, calls];
}

const records = (n: number): RoutedRecord[] => Array.from({ length: n }, (_, i) => ({ messageId: `m${i}`, body: `{"i":${i}}` }));

describe('groupByOutput', () => {
  it('keeps input order within an output', () => {
    const { groups } = groupByOutput(records(4), (r) => [r.messageId === 'm2' ? 'b' : 'a']);
    expect(groups.get('a')?.map((r) => r.messageId)).toStrictEqual(['m0', 'm1', 'm3']);
  });

  it('counts a record routed nowhere as dropped', () => {
    expect(groupByOutput(records(3), (r) => (r.messageId === 'm1' ? [] : ['a'])).dropped).toBe(1);
  });

  it('sets aside a record whose routing throws, keeping its error', () => {
    const poison = new PoisonRecordError('not JSON');
    const { errors, groups } = groupByOutput(records(2), (r) => {
      if (r.messageId === 'm0') throw poison;
      return ['a'];
    });
    expect([errors.get('m0'), groups.get('a')?.length]).toStrictEqual([poison, 1]);
  });

  it('sends a record once per output even if the route names it twice', () => {
    expect(groupByOutput(records(1), () => ['a', 'a']).groups.get('a')).toHaveLength(1);
  });
});

describe('routeRecords', () => {
  it('forwards body and attributes unchanged, with the message id as entry id', async () => {
    const [publisher, calls] = recordingPublisher();
    await routeRecords([{ messageId: 'x1', body: 'raw', attributes: { k: 'v' } }], () => ['a'], new Map([['a', publisher]]));
    expect(calls).toStrictEqual([[{ id: 'x1', body: 'raw', attributes: { k: 'v' } }]]);
  });

  it('stops a FIFO output\'s group at its first unsent copy, so the retry keeps the group in order', async () => {
    const port = recordingSendPort((entries) => ({ failed: entries.filter((entry) => entry.id === 'm0').map((entry) => ({ id: entry.id, code: 'InternalError', message: 'down', senderFault: false })) }));
    const publisher = new QueuePublisher({ port: port.port, maxAttempts: 2, concurrency: 4, sleep: async () => undefined });
    const grouped = records(15).map((record) => ({ ...record, groupId: 'g' }));
    const outcome = await routeRecords(grouped, () => ['a'], new Map([['a', publisher]]), new Set(['a']));
    expect(port.calls.flat().filter((entry) => Number(entry.id.slice(1)) >= 10)).toStrictEqual([]);
    expect([...outcome.failed.keys()]).toStrictEqual(['m0', 'm10', 'm11', 'm12', 'm13', 'm14']);
  });

  it('publishes each output in one call for the whole batch', async () => {
    const [publisher, calls] = recordingPublisher();
    await routeRecords(records(25), () => ['a'], new Map([['a', publisher]]));
    expect(calls.map((c) => c.length)).toStrictEqual([25]);
  });

  it('gives a copy to a FIFO output the record\'s group, deduplicated by the record\'s message id', async () => {
    const [publisher, calls] = recordingPublisher();
    await routeRecords([{ messageId: 'x1', body: 'b', groupId: 'g1' }, { messageId: 'x2', body: 'c' }], () => ['a'], new Map([['a', publisher]]), new Set(['a']));
    expect(calls).toStrictEqual([[
      { id: 'x1', body: 'b', messageGroupId: 'g1', messageDeduplicationId: 'x1' },
      { id: 'x2', body: 'c', messageGroupId: 'x2', messageDeduplicationId: 'x2' },
    ]]);
  });

  it('sends a FIFO record to a standard output without group or deduplication id', async () => {
    const [fifo, fifoCalls] = recordingPublisher();
    const [standard, standardCalls] = recordingPublisher();
    await routeRecords([{ messageId: 'x1', body: 'b', groupId: 'g1' }], () => ['f', 's'], new Map([['f', fifo], ['s', standard]]), new Set(['f']));
    expect([fifoCalls.flat()[0]?.messageGroupId, standardCalls]).toStrictEqual(['g1', [[{ id: 'x1', body: 'b' }]]]);
  });

  it('fails exactly the records a partial send left unsent', async () => {
    const [publisher] = recordingPublisher(new Set(['m1', 'm3']));
    const outcome = await routeRecords(records(5), () => ['a'], new Map([['a', publisher]]));
    expect([[...outcome.failed.keys()].sort(), outcome.sent.get('a')]).toStrictEqual([['m1', 'm3'], 3]);
  });

  it('fails every record of an output whose publisher throws something else', async () => {
    const publisher: OutputPublisher = { publish: async () => Promise.reject(new Error('oversize')) };
    const outcome = await routeRecords(records(2), () => ['a'], new Map([['a', publisher]]));
    expect([...outcome.failed.keys()]).toStrictEqual(['m0', 'm1']);
  });

  it('fails a record routed to an output without a publisher', async () => {
    const outcome = await routeRecords(records(1), () => ['ghost'], new Map());
    expect(String(outcome.failed.get('m0'))).toMatch(/no publisher for output "ghost"/);
  });

  it('copier: N outputs receive N × the input, each output every record once (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 60 }), async (n, count) => {
        const outputs = Array.from({ length: n }, (_, i) => `out${i}`);
        const recorded = outputs.map(() => recordingPublisher());
        const publishers = new Map(outputs.map((name, i) => [name, (recorded[i] as [OutputPublisher, PublishMessage[][]])[0]]));
        const input = records(count);
        const outcome = await routeRecords(input, () => outputs, publishers);
        const perOutput = recorded.map(([, calls]) => calls.flat().map((m) => m.id));
        expect(perOutput.flat()).toHaveLength(n * count);
        for (const ids of perOutput) expect(ids).toStrictEqual(input.map((r) => r.messageId));
        expect(outcome.failed.size).toBe(0);
      }),
    );
  });
});
