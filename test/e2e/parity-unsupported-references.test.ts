/**
 * Parity item 1: a sample stack whose queue and function reference a customer-managed KMS key
 * (a type the local runtime does not run) boots, resolves the references to local ARNs, warns
 * about the key, and still processes its messages.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { kmsIngestStack, synthParity, type ParityAssembly } from './parity-fixtures/stacks';

let assembly: ParityAssembly;
let runtime: LocalRuntime;
beforeAll(async () => {
  assembly = synthParity((app) => kmsIngestStack(app));
  runtime = await LocalRuntime.start({ assemblyDir: assembly.outdir });
});
afterAll(async () => {
  await runtime?.stop();
  assembly?.cleanup();
});

describe('a reference to a resource type the runtime does not run', () => {
  it('boots and lists the type in a warning that names the resource', () => {
    const warning = runtime.warnings.find((w) => w.includes('AWS::KMS::Key'));
    expect(warning).toMatch(/AWS::KMS::Key is not emulated.*DataKey/);
  });

  it('resolves Ref and Fn::GetAtt to plausible local values', () => {
    const [keyId] = runtime.catalog.ofType('AWS::KMS::Key')[0]!;
    expect(runtime.catalog.ref(keyId)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(runtime.catalog.getAtt(keyId, 'Arn')).toBe(`arn:aws:kms:us-east-1:000000000000:key/${String(runtime.catalog.ref(keyId))}`);
    const fn = runtime.lambdas.hosts()[0]!;
    expect(fn.spec.env.KEY_ARN).toBe(runtime.catalog.getAtt(keyId, 'Arn'));
  });

  it('still runs the queue → function → table path', async () => {
    const sqs = new SQSClient(runtime.clientConfig());
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: runtime.output('IngressUrl'), MessageBody: JSON.stringify({ id: 'a-1', n: 1 }) }));
    } finally {
      sqs.destroy();
    }
    await runtime.settle();
    expect(await runtime.dynamodb.count(runtime.output('TableName'))).toBe(1);
  });
});
