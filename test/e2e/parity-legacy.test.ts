/**
 * Parity item 9: a function on `nodejs14.x` using the AWS SDK v2 (which ignores
 * AWS_ENDPOINT_URL): the boot warns about both with the reason, and the calls it makes to
 * AWS's public endpoints are refused inside the sandbox, so nothing leaves the machine.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { legacyStack, synthParity, type ParityAssembly } from './parity-fixtures/stacks';

let assembly: ParityAssembly;
let runtime: LocalRuntime;
beforeAll(async () => {
  assembly = synthParity((app) => legacyStack(app));
  runtime = await LocalRuntime.start({ assemblyDir: assembly.outdir });
});
afterAll(async () => {
  await runtime?.stop();
  assembly?.cleanup();
});

describe('a legacy function', () => {
  it('is warned about at boot: its runtime is deprecated on Lambda', () => {
    expect(runtime.warnings).toStrictEqual(expect.arrayContaining([expect.stringMatching(/ParityLegacy-Legacy\S*: runtime nodejs14\.x is deprecated on AWS Lambda since 2023-12-04.*no longer/)]));
  });

  it('is warned about at boot: it uses the AWS SDK v2, which ignores AWS_ENDPOINT_URL', () => {
    expect(runtime.warnings).toStrictEqual(expect.arrayContaining([expect.stringMatching(/ParityLegacy-Legacy\S*: uses the AWS SDK for JavaScript v2.*AWS_ENDPOINT_URL.*blocked/)]));
  });

  it('cannot reach AWS\'s public endpoints by fetch, https or a raw socket', async () => {
    const lambda = new LambdaClient(runtime.clientConfig());
    try {
      const out = await lambda.send(new InvokeCommand({ FunctionName: runtime.output('LegacyName'), Payload: '{}' }));
      const result = JSON.parse(Buffer.from(out.Payload!).toString('utf8')) as Record<string, string>;
      expect(result).toStrictEqual({
        sdkV2Installed: false,
        fetch: expect.stringMatching(/blocked a connection to sqs\.us-east-1\.amazonaws\.com:443/),
        https: expect.stringMatching(/blocked a connection to dynamodb\.us-east-1\.amazonaws\.com:443/),
        socket: expect.stringMatching(/blocked a connection to 52\.94\.0\.1:443/),
      });
    } finally {
      lambda.destroy();
    }
  });
});
