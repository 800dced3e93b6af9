/**
 * Parity item 2: a cloud assembly inside an app folder whose `node_modules` has its own
 * `@aws-sdk/client-dynamodb` (a stand-in that refuses to be used) and no
 * `@aws-sdk/util-dynamodb`. Every function still gets the runtime's own pinned SDK, in ES
 * modules and CommonJS alike, as Lambda provides one SDK whatever the app installed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { providedSdkVersion } from '../../local-runtime/runtime/lambda/provided-sdk-version';
import { sdkIngestStack, synthParity } from './parity-fixtures/stacks';

let appDir: string;
let runtime: LocalRuntime;

/** An app folder: its own stand-in SDK client, no util-dynamodb, and `cdk.out` inside. */
function appFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pp-parity-app-'));
  const client = join(dir, 'node_modules', '@aws-sdk', 'client-dynamodb');
  mkdirSync(client, { recursive: true });
  writeFileSync(join(client, 'package.json'), JSON.stringify({ name: '@aws-sdk/client-dynamodb', version: '3.0.0', main: 'index.js' }));
  writeFileSync(join(client, 'index.js'), "throw new Error(\"the app's own @aws-sdk/client-dynamodb was loaded\");\n");
  return dir;
}

beforeAll(async () => {
  appDir = appFolder();
  synthParity((app) => sdkIngestStack(app), join(appDir, 'cdk.out'));
  runtime = await LocalRuntime.start({ assemblyDir: join(appDir, 'cdk.out') });
});
afterAll(async () => {
  await runtime?.stop();
  if (appDir) rmSync(appDir, { recursive: true, force: true });
});

describe('an assembly inside an app folder with its own partial SDK', () => {
  it('runs ES module and CommonJS functions on the runtime SDK', async () => {
    const sqs = new SQSClient(runtime.clientConfig());
    try {
      for (const [output, id] of [['EsmIngressUrl', 'esm-1'], ['CjsIngressUrl', 'cjs-1']]) {
        await sqs.send(new SendMessageCommand({ QueueUrl: runtime.output(output!), MessageBody: JSON.stringify({ id }) }));
      }
    } finally {
      sqs.destroy();
    }
    await runtime.settle({ timeoutMs: 20_000 });
    expect(runtime.lambdas.hosts().map((h) => h.stats.snapshot()).map((s) => [s.errors, s.succeeded])).toStrictEqual([[0, 1], [0, 1]]);
    expect(await runtime.dynamodb.count(runtime.output('TableName'))).toBe(2);
  });

  it('names the SDK version it provides: the runtime\'s own installed copy', () => {
    const own = createRequire(import.meta.url)('@aws-sdk/client-dynamodb/package.json') as { version: string };
    expect(providedSdkVersion()).toStrictEqual(expect.objectContaining({ '@aws-sdk/client-dynamodb': own.version, '@aws-sdk/util-dynamodb': expect.stringMatching(/^3\./) }));
  });
});
