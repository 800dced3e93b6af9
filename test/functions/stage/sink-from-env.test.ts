import { describe, expect, it } from 'vitest';
import { Env, RoutingEnv } from '../../../functions/contract';
import { ConfigError } from '../../../functions/lib/errors';
import type { QueueSendPort } from '../../../functions/lib/queue-port';
import { sinkFromEnv } from '../../../functions/lib/stage-chain/stage-handler';
import { recordingSendPort, recordingWritePort } from '../../../functions/lib/testing/recording-ports';

/** A send port that records the entries of each call and the most calls it saw in flight at once. */
function overlapPort(): { port: QueueSendPort; calls: { messageGroupId?: string; messageDeduplicationId?: string }[][]; maxInFlight: () => number } {
  const calls: { messageGroupId?: string; messageDeduplicationId?: string }[][] = [];
  let inFlight = 0;
  let max = 0;
  const port: QueueSendPort = {
    async sendBatch(entries) {
      calls.push(entries.map(({ messageGroupId, messageDeduplicationId }) => ({ messageGroupId, messageDeduplicationId })));
      max = Math.max(max, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return { failed: [] };
    },
  };
  return { port, calls, maxInFlight: () => max };
}

const results = (n: number, groupId?: string) =>
  Array.from({ length: n }, (_, i) => ({ messageId: `m${i}`, result: { i }, ...(groupId === undefined ? {} : { groupId }) }));

function wiring() {
  const sentTo: string[] = [];
  const writtenTo: string[] = [];
  return {
    sentTo,
    writtenTo,
    wiring: {
      sendPortFor: (url: string) => (sentTo.push(url), recordingSendPort().port),
      writePortFor: (table: string) => (writtenTo.push(table), recordingWritePort().port),
    },
  };
}

describe('sinkFromEnv', () => {
  it('sends to the next queue when PP_NEXT_QUEUE_URL is set', () => {
    const w = wiring();
    const sink = sinkFromEnv({ [Env.nextQueueUrl]: 'http://q/next' }, w.wiring);
    expect([sink.kind, w.sentTo]).toStrictEqual(['queue', ['http://q/next']]);
  });

  it('sends a FIFO next queue one batch at a time, keeping each result\'s group', async () => {
    const fake = overlapPort();
    await sinkFromEnv({ [Env.nextQueueUrl]: 'http://q/next.fifo' }, { sendPortFor: () => fake.port, writePortFor: () => recordingWritePort().port }).deliver(results(30, 'g'));
    expect([fake.calls.length, fake.maxInFlight(), fake.calls[0]?.[0]]).toStrictEqual([3, 1, { messageGroupId: 'g', messageDeduplicationId: 'm0' }]);
  });

  it('sends a standard next queue\'s batches in parallel, without group ids', async () => {
    const fake = overlapPort();
    await sinkFromEnv({ [Env.nextQueueUrl]: 'http://q/next' }, { sendPortFor: () => fake.port, writePortFor: () => recordingWritePort().port }).deliver(results(30, 'g'));
    expect([fake.calls.length, fake.maxInFlight() > 1, fake.calls[0]?.[0]]).toStrictEqual([3, true, { messageGroupId: undefined, messageDeduplicationId: undefined }]);
  });

  it('writes to the sink table when its name and keys are set', () => {
    const w = wiring();
    const sink = sinkFromEnv({ [RoutingEnv.sinkTableName]: 'Results', [RoutingEnv.sinkTableKeys]: 'pk,sk' }, w.wiring);
    expect([sink.kind, w.writtenTo]).toStrictEqual(['table', ['Results']]);
  });

  it('delivers nowhere when neither is set', () => {
    expect(sinkFromEnv({}, wiring().wiring).kind).toBe('none');
  });

  it('fails if both a next queue and a sink table are set', () => {
    const env = { [Env.nextQueueUrl]: 'http://q', [RoutingEnv.sinkTableName]: 'T', [RoutingEnv.sinkTableKeys]: 'pk' };
    expect(() => sinkFromEnv(env, wiring().wiring)).toThrow(/PP_NEXT_QUEUE_URL and PP_SINK_TABLE_NAME are exclusive/);
  });

  it('fails if a sink table has no key attributes, quoting the value', () => {
    expect(() => sinkFromEnv({ [RoutingEnv.sinkTableName]: 'T', [RoutingEnv.sinkTableKeys]: ' ' }, wiring().wiring)).toThrow(ConfigError);
  });

  it('fails if a sink table names three key attributes', () => {
    expect(() => sinkFromEnv({ [RoutingEnv.sinkTableName]: 'T', [RoutingEnv.sinkTableKeys]: 'a,b,c' }, wiring().wiring)).toThrow(/1 or 2 key attributes, got "a,b,c"/);
  });
});
