/**
 * Parity item 7: a queue, a table and a rule created through the API at run time work like
 * the template's: the function that creates them sends, writes and routes through them, and
 * any other client can use the queue URL it got back.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { runtimeResourcesStack, synthParity, type ParityAssembly } from './parity-fixtures/stacks';

let assembly: ParityAssembly;
let runtime: LocalRuntime;
let created: { queueUrl: string; tableName: string; errorMessage?: string };
beforeAll(async () => {
  assembly = synthParity((app) => runtimeResourcesStack(app));
  runtime = await LocalRuntime.start({ assemblyDir: assembly.outdir });
  const lambda = new LambdaClient(runtime.clientConfig());
  try {
    const out = await lambda.send(new InvokeCommand({ FunctionName: runtime.output('ProvisionerName'), Payload: JSON.stringify({ tenant: 'acme' }) }));
    created = JSON.parse(Buffer.from(out.Payload!).toString('utf8'));
    await lambda.send(new InvokeCommand({ FunctionName: runtime.output('ProvisionerName'), Payload: JSON.stringify({ tenant: 'beta', withoutPolicy: true }) }));
  } finally {
    lambda.destroy();
  }
});
afterAll(async () => {
  await runtime?.stop();
  assembly?.cleanup();
});

describe('resources created at run time', () => {
  it('are created, and their queue URL points at the local endpoint', () => {
    expect(created.errorMessage).toBe(undefined);
    expect(created.queueUrl).toBe(`${runtime.endpoint}/000000000000/tenant-acme`);
  });

  it('route an event through the new rule into the new queue, next to the message sent to it', async () => {
    const bodies = (await runtime.sqs.inspect('tenant-acme')).map((m) => JSON.parse(m.body));
    expect(bodies).toStrictEqual([{ hello: 'acme' }, expect.objectContaining({ source: 'parity.tenants', detail: { tenant: 'acme' } })]);
  });

  it('keep out a rule the queue policy does not admit (no Policy attribute): only the message sent to it', async () => {
    const bodies = (await runtime.sqs.inspect('tenant-beta')).map((m) => JSON.parse(m.body));
    expect(bodies).toStrictEqual([{ hello: 'beta' }]);
  });

  it('hold the item written to the new table', async () => {
    expect(await runtime.dynamodb.count(created.tableName)).toBe(1);
  });

  it('serve the queue URL to any client', async () => {
    const sqs = new SQSClient(runtime.clientConfig());
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: created.queueUrl, MessageBody: 'from the driver' }));
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: created.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      const bodies = out.Messages?.map((m) => m.Body) ?? [];
      expect(bodies).toHaveLength(3);
      expect(bodies).toStrictEqual(expect.arrayContaining(['from the driver', JSON.stringify({ hello: 'acme' }), expect.stringContaining('"source":"parity.tenants"')]));
    } finally {
      sqs.destroy();
    }
  });
});
