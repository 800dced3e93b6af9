/**
 * Parity item 4: Step Functions service integrations shaped as AWS shapes them. One execution
 * of a sample-shaped state machine sends a JSON object as an SQS `MessageBody`, an SNS
 * `Message`, an EventBridge `Detail` and a child execution's `Input` (AWS serializes each),
 * writes and reads DynamoDB, runs the child to completion (`.sync:2`), and catches an AWS SDK
 * integration's error by its AWS name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import type { ExecutionRecord } from '../../local-runtime/stepfunctions';
import { INTEGRATION_NOTE, integrationsStack, synthParity, type ParityAssembly } from './parity-fixtures/stacks';

let assembly: ParityAssembly;
let runtime: LocalRuntime;
let record: ExecutionRecord;
let output: Record<string, any>;
const expected = { orderId: 'o-42', note: INTEGRATION_NOTE };

async function bodies(output: string): Promise<unknown[]> {
  return (await runtime.sqs.inspect(runtime.queue(output).name)).map((m) => JSON.parse(m.body));
}

beforeAll(async () => {
  assembly = synthParity((app) => integrationsStack(app));
  runtime = await LocalRuntime.start({ assemblyDir: assembly.outdir });
  const { executionArn } = runtime.stateMachines.startExecution({ stateMachineArn: runtime.output('MachineArn'), input: JSON.stringify({ orderId: 'o-42' }) });
  record = await runtime.stateMachines.waitForExecution(executionArn);
  output = JSON.parse(record.output ?? '{}');
});
afterAll(async () => {
  await runtime?.stop();
  assembly?.cleanup();
});

describe('optimized and AWS SDK integrations', () => {
  it('succeeds', () => {
    expect([record.status, record.error, record.cause]).toStrictEqual(['SUCCEEDED', undefined, undefined]);
  });

  it('serializes an SQS MessageBody object and answers as the optimized integration does', async () => {
    expect(await bodies('SentUrl')).toStrictEqual([expected]);
    expect(output.sqs).toStrictEqual(expect.objectContaining({ MessageId: expect.any(String), MD5OfMessageBody: expect.stringMatching(/^[0-9a-f]{32}$/) }));
    expect(output.sqs.SdkHttpMetadata.HttpStatusCode).toBe(200);
  });

  it('serializes an SNS Message object, delivered to the topic\'s subscription', async () => {
    expect(await bodies('PublishedUrl')).toStrictEqual([expected]);
    expect(output.sns.MessageId).toStrictEqual(expect.any(String));
  });

  it('serializes an EventBridge Detail object, routed by a rule', async () => {
    const [event] = (await bodies('EventsUrl')) as { detail: unknown; 'detail-type': string }[];
    expect([event?.detail, event?.['detail-type']]).toStrictEqual([expected, 'OrderSeen']);
    expect(output.events).toStrictEqual({ Entries: [{ EventId: expect.any(String) }], FailedEntryCount: 0 });
  });

  it('writes and reads DynamoDB through the optimized and AWS SDK integrations', () => {
    expect(output.ddb.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(output.sdkGet).toStrictEqual({ Item: { pk: { S: 'o-42' } } });
  });

  it('runs a child execution to completion with its Input serialized (.sync:2)', () => {
    expect([output.child.Status, output.child.Output, output.child.Input]).toStrictEqual(['SUCCEEDED', { childSaw: 'o-42', note: INTEGRATION_NOTE }, expected]);
  });

  it('names an AWS SDK integration error as AWS does, so a Catch matches it', () => {
    expect(output.caught.Error).toBe('DynamoDb.ConditionalCheckFailedException');
  });
});
