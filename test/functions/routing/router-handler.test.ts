import { describe, expect, it } from 'vitest';
import { RoutingEnv, RoutingMetricName, type RouterConfig } from '../../../functions/contract';
import { QueuePublisher } from '../../../functions/lib/publisher';
import { createRouterHandler } from '../../../functions/lib/routing/create-router-handler';
import { createSharder } from '../../../functions/lib/routing/sharder';
import { recordingSendPort } from '../../../functions/lib/testing/recording-ports';
import { lambdaContext, sqsEvent, type RecordSpec } from '../../../functions/lib/testing/sqs-event';
import { quietMetrics, silentLogger } from '../../helpers/quiet-telemetry';

const noSleep = async (): Promise<void> => undefined;

/** A router over `outputs` recording ports, configured by `config`. */
function router(config: RouterConfig, extraEnv: Record<string, string> = {}, failIds: ReadonlySet<string> = new Set()) {
  const ports = Array.from({ length: config.outputs }, () =>
    recordingSendPort((entries) => ({
      failed: entries.filter((e) => failIds.has(e.id)).map((e) => ({ id: e.id, code: 'InvalidMessageContents', message: 'x', senderFault: true })),
    })),
  );
  const urls = Object.fromEntries(ports.map((_, i) => [`${RoutingEnv.outputUrlPrefix}${i}`, `http://q/out${i}`]));
  const env = { [RoutingEnv.routerConfig]: JSON.stringify(config), ...urls, ...extraEnv };
  const publishers = new Map(ports.map((p, i) => [String(i), new QueuePublisher({ port: p.port, sleep: noSleep })]));
  const { metrics, added } = quietMetrics();
  const handler = createRouterHandler({ env, publishers, logger: silentLogger(), metrics }, { sendPortFor: () => recordingSendPort().port });
  const sentTo = (i: number): string[] => ports[i]!.calls.flat().map((e) => e.body);
  return { invoke: (...r: RecordSpec[]) => handler(sqsEvent(...r), lambdaContext()), sentTo, ports, added };
}

const msg = (id: string, body: unknown): RecordSpec => ({ messageId: id, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('router handler: split', () => {
  const config: RouterConfig = { kind: 'split', outputs: 3, field: 'channel', routes: { email: 0, sms: 1 }, defaultOutput: 2 };

  it('sends each item to the output of its field value', async () => {
    const r = router(config);
    await r.invoke(msg('a', { channel: 'sms' }), msg('b', { channel: 'email' }));
    expect([r.sentTo(0), r.sentTo(1)]).toStrictEqual([['{"channel":"email"}'], ['{"channel":"sms"}']]);
  });

  it('sends a body that is not JSON to the default output instead of the DLQ', async () => {
    const r = router(config);
    await r.invoke(msg('a', 'plain text'));
    expect(r.sentTo(2)).toStrictEqual(['plain text']);
  });

  it('forwards String message attributes with the body', async () => {
    const r = router(config);
    await r.invoke({ ...msg('a', { channel: 'sms' }), messageAttributes: { tenant: { dataType: 'String', stringValue: 't1' } } });
    expect(r.ports[1]!.calls[0]![0]!.attributes).toStrictEqual({ tenant: 't1' });
  });

  it('forwards Number and Binary message attributes with their data types', async () => {
    const r = router(config);
    const messageAttributes = {
      priority: { dataType: 'Number', stringValue: '3.5' },
      trace: { dataType: 'Binary.gzip', binaryValue: Buffer.from([0, 9]).toString('base64') },
    };
    await r.invoke({ ...msg('a', { channel: 'sms' }), messageAttributes });
    expect(r.ports[1]!.calls[0]![0]!.attributes).toStrictEqual({
      priority: { dataType: 'Number', stringValue: '3.5' },
      trace: { dataType: 'Binary.gzip', binaryValue: new Uint8Array([0, 9]) },
    });
  });

  it('reports only the item an output refused', async () => {
    const r = router(config, {}, new Set(['b']));
    const response = await r.invoke(msg('a', { channel: 'sms' }), msg('b', { channel: 'sms' }));
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
  });

  it('reports the copies it routed', async () => {
    const r = router(config);
    await r.invoke(msg('a', { channel: 'sms' }), msg('b', {}));
    expect(r.added.find((m) => m.name === RoutingMetricName.itemsRouted)?.value).toBe(2);
  });
});

describe('router handler: FIFO', () => {
  it('keeps the message group only on outputs whose URL names a FIFO queue', async () => {
    const r = router({ kind: 'copy', outputs: 2 }, { [`${RoutingEnv.outputUrlPrefix}1`]: 'http://q/out1.fifo' });
    await r.invoke({ ...msg('a', 1), groupId: 'g' });
    expect(r.ports.map((p) => p.calls.flat().map((e) => e.messageGroupId))).toStrictEqual([[undefined], ['g']]);
  });
});

describe('router handler: copy', () => {
  it('sends every item to every output', async () => {
    const r = router({ kind: 'copy', outputs: 3 });
    await r.invoke(msg('a', 1), msg('b', 2));
    expect([r.sentTo(0), r.sentTo(1), r.sentTo(2)]).toStrictEqual([['1', '2'], ['1', '2'], ['1', '2']]);
  });
});

describe('router handler: forward', () => {
  it('sends every item to output 0 in one batch', async () => {
    const r = router({ kind: 'forward', outputs: 1 });
    await r.invoke(msg('a', 1), msg('b', 2), msg('c', 3));
    expect(r.ports[0]!.calls.map((c) => c.length)).toStrictEqual([3]);
  });
});

describe('router handler: shard', () => {
  const shards = ['s0', 's1', 's2'];
  const config: RouterConfig = { kind: 'shard', outputs: 3, key: 'user', shards };
  const sharder = createSharder({ shards });
  const users = Array.from({ length: 30 }, (_, i) => `u${i}`);

  it('sends each item to its key\'s shard', async () => {
    const r = router(config);
    await r.invoke(...users.map((u) => msg(u, { user: u })));
    const expected = shards.map((s) => users.filter((u) => sharder.homeShard(u) === s).map((u) => JSON.stringify({ user: u })));
    expect([r.sentTo(0), r.sentTo(1), r.sentTo(2)]).toStrictEqual(expected);
  });

  it('spills an unhealthy shard\'s keys to the others, counting them', async () => {
    const r = router(config, { [RoutingEnv.unhealthyShards]: 's1' });
    await r.invoke(...users.map((u) => msg(u, { user: u })));
    const homedOnS1 = users.filter((u) => sharder.homeShard(u) === 's1').length;
    expect([r.sentTo(1), r.added.find((m) => m.name === RoutingMetricName.itemsSpilled)?.value]).toStrictEqual([[], homedOnS1]);
  });
});

describe('router handler configuration', () => {
  it('fails if PP_ROUTER_CONFIG is not JSON, quoting it', () => {
    expect(() => createRouterHandler({ env: { [RoutingEnv.routerConfig]: '{' } }, { sendPortFor: () => recordingSendPort().port })).toThrow(
      /PP_ROUTER_CONFIG must be JSON, got "\{"/,
    );
  });

  it('fails if an output URL is missing, naming the variable', () => {
    const env = { [RoutingEnv.routerConfig]: JSON.stringify({ kind: 'copy', outputs: 2 }), [`${RoutingEnv.outputUrlPrefix}0`]: 'http://q/0' };
    expect(() => createRouterHandler({ env }, { sendPortFor: () => recordingSendPort().port })).toThrow(/PP_OUTPUT_URL_1 must be set/);
  });

  it('fails if a split route points past the outputs', () => {
    const config = { kind: 'split', outputs: 1, field: 'f', routes: { a: 3 }, defaultOutput: 0 };
    const env = { [RoutingEnv.routerConfig]: JSON.stringify(config), [`${RoutingEnv.outputUrlPrefix}0`]: 'http://q/0' };
    expect(() => createRouterHandler({ env }, { sendPortFor: () => recordingSendPort().port })).toThrow(/split\.routes\["a"\] must be an output index, got 3/);
  });

  it('fails if the kind is unknown', () => {
    const env = { [RoutingEnv.routerConfig]: JSON.stringify({ kind: 'teleport', outputs: 1 }), [`${RoutingEnv.outputUrlPrefix}0`]: 'http://q/0' };
    expect(() => createRouterHandler({ env }, { sendPortFor: () => recordingSendPort().port })).toThrow(/kind must be one of .*"teleport"/);
  });
});
