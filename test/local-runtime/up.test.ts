/**
 * `pp-local up` as another tool sees it: the command runs in its own process, and this test
 * talks to it with ordinary AWS SDK clients, using only what the banner printed.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListQueuesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureStack, synthFixtures, type FixtureAssembly } from './runtime/fixtures/stacks';

const repo = join(import.meta.dirname, '..', '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

function waitFor(text: () => string, pattern: RegExp, child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(text())) resolve();
      else if (child.exitCode !== null) reject(new Error(`up exited ${child.exitCode}: ${text()}`));
      else setTimeout(check, 50);
    };
    check();
  });
}

const field = (banner: string, pattern: RegExp) => {
  const m = pattern.exec(banner);
  if (!m?.[1]) throw new Error(`${String(pattern)} not in:\n${banner}`);
  return m[1];
};

describe('pp-local up', () => {
  let fixtures: FixtureAssembly;
  let child: ChildProcess;
  let out = '';
  let port: number;

  beforeAll(async () => {
    fixtures = synthFixtures();
    port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'local-runtime/cli.ts', 'up', '--app-dir', fixtures.outdir, '--stack', FixtureStack.worker, '--port', String(port)], {
      cwd: repo, stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await waitFor(() => out, /ready/, child);
  });
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    fixtures.cleanup();
  });

  it('prints the endpoint on the fixed port, the region and the principals', () => {
    expect(field(out, /endpoint: (\S+)/)).toBe(`http://127.0.0.1:${port}`);
    expect(field(out, /region:\s+(\S+)/)).toBe('us-east-1');
    expect(out).toMatch(/driver\s+driver\s+AWS_ACCESS_KEY_ID=driver AWS_SECRET_ACCESS_KEY=\S+/);
    expect(out).toMatch(/function\s+\S*Worker\S*\s+AWS_ACCESS_KEY_ID=fn-\S+/);
  });

  it('serves an SDK client in another process: a sent message is processed into the table', async () => {
    const config = { endpoint: field(out, /endpoint: (\S+)/), region: 'us-east-1', credentials: { accessKeyId: 'driver', secretAccessKey: field(out, /AWS_ACCESS_KEY_ID=driver AWS_SECRET_ACCESS_KEY=(\S+)/) } };
    const sqs = new SQSClient(config);
    const ddb = new DynamoDBClient(config);
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: field(out, /IngressUrl = (\S+)/), MessageBody: JSON.stringify({ id: 'from-outside', kind: 'job' }) }));
      const key = { TableName: field(out, /TableName = (\S+)/), Key: { pk: { S: 'from-outside' } } };
      let item = (await ddb.send(new GetItemCommand(key))).Item;
      for (let tries = 0; item === undefined && tries < 1200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        item = (await ddb.send(new GetItemCommand(key))).Item;
      }
      expect(item?.fn?.S).toMatch(/Worker/);
    } finally {
      sqs.destroy();
      ddb.destroy();
    }
  });

  it('lets unknown credentials act as an unrestricted external caller', async () => {
    const sqs = new SQSClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'someone', secretAccessKey: 'x' } });
    try {
      expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls?.length).toBe(2);
    } finally {
      sqs.destroy();
    }
  });

  it('serves the read APIs and transactions to another process', async () => {
    const config = { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'driver', secretAccessKey: 'local-runtime-secret' } };
    const lambda = new LambdaClient(config);
    const ddb = new DynamoDBClient(config);
    try {
      const { Functions } = await lambda.send(new ListFunctionsCommand({}));
      expect(Functions?.map((f) => f.FunctionName)).toStrictEqual([field(out, /function\s+(\S*Worker\S*)\s+AWS_ACCESS_KEY_ID/)]);
      const TableName = field(out, /TableName = (\S+)/);
      await ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName, Item: { pk: { S: 'tx-1' } } } }, { Put: { TableName, Item: { pk: { S: 'tx-2' } } } }] }));
      const got = await ddb.send(new TransactGetItemsCommand({ TransactItems: ['tx-1', 'tx-2'].map((pk) => ({ Get: { TableName, Key: { pk: { S: pk } } } })) }));
      expect(got.Responses?.map((r) => r.Item?.pk?.S)).toStrictEqual(['tx-1', 'tx-2']);
    } finally {
      lambda.destroy();
      ddb.destroy();
    }
  });

  it('serves the send and invoke commands run as further processes', () => {
    const cli = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'local-runtime/cli.ts', ...args, '--endpoint', `http://127.0.0.1:${port}`], { cwd: repo, encoding: 'utf8' });
    expect(cli('send', '--queue', field(out, /IngressUrl = (\S+)/), '--body', '{"id":"via-send","kind":"job"}')).toBe('sent 1\n');
    const worker = field(out, /function\s+(\S*Worker\S*)\s+AWS_ACCESS_KEY_ID/);
    const event = { Records: [{ messageId: 'm-1', body: JSON.stringify({ id: 'via-invoke' }), attributes: { ApproximateReceiveCount: '1' } }] };
    expect(JSON.parse(cli('invoke', '--function', worker, '--payload', JSON.stringify(event)))).toStrictEqual({ batchItemFailures: [] });
  });

  it('stops cleanly on SIGINT: exit code 0, port released', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('stopped');
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((done) => server.close(done));
  });
});
