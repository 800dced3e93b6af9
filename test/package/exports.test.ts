/**
 * The package as a user's CDK app sees it: `npm run build`, then `import … from 'pp-patterns'`
 * resolved through package.json `exports` (Node's package self-reference), in a plain Node
 * process with no tsx loader — the way a compiled consumer app loads it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const outdir = mkdtempSync(join(tmpdir(), 'pp-consumer-'));

function runConsumer(source: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', source], { cwd: root, encoding: 'utf8' });
}

describe('published package', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'pipe' });
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('ships type declarations for every entry point', () => {
    const declarations = ['infra/index.d.ts', 'functions/runtime.d.ts', 'functions/testing.d.ts'];
    expect(declarations.filter((path) => !existsSync(join(root, 'dist/types', path)))).toStrictEqual([]);
  });

  it('lets a plain Node CDK app import the constructs and synthesize a WorkQueue', () => {
    const output = runConsumer(`
      import { App, Stack } from 'aws-cdk-lib';
      import { Code, Function, Runtime } from 'aws-cdk-lib/aws-lambda';
      import { WorkQueue } from 'pp-patterns';
      const app = new App({ outdir: ${JSON.stringify(outdir)} });
      const stack = new Stack(app, 'Consumer');
      const handler = new Function(stack, 'Fn', { runtime: Runtime.NODEJS_24_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => ({})') });
      new WorkQueue(stack, 'Jobs', { handler });
      const template = app.synth().getStackByName('Consumer').template;
      const types = Object.values(template.Resources).map((r) => r.Type);
      console.log(types.filter((t) => t === 'AWS::SQS::Queue').length, types.includes('AWS::Lambda::EventSourceMapping'));
    `);
    expect(output.trim()).toBe('2 true');
  });

  it('lets a handler file import the runtime factories', () => {
    const output = runConsumer(`
      import { workQueue, QueuePublisher, BatchWriter } from 'pp-patterns/runtime';
      console.log([workQueue, QueuePublisher, BatchWriter].map((f) => typeof f).join(','));
    `);
    expect(output.trim()).toBe('function,function,function');
  });

  it('lets a handler test import the doubles from the testing entry', () => {
    const output = runConsumer(`
      import { InMemoryFlagStore, createSweeperHandler, lambdaContext } from 'pp-patterns/testing';
      const store = new InMemoryFlagStore();
      await store.mark('room-1', 'm1', Date.now() - 60_000, 1);
      const swept = [];
      const handler = createSweeperHandler({
        sweep: async (flags) => void swept.push(...flags.map((flag) => flag.key)),
        env: { PP_FLAG_TABLE_NAME: 'flags', PP_FLAG_SHARDS: '1', PP_FLAG_TTL_SECONDS: '86400', PP_SWEEP_BATCH_SIZE: '10',
          PP_SWEEP_MAX_BATCHES: '1', PP_SWEEP_LEASE_SECONDS: '60', PP_SWEEP_RETRY_DELAY_SECONDS: '30',
          PP_SWEEP_MAX_ATTEMPTS: '5', PP_SWEEP_COUNT_INTERVAL_SECONDS: '300', PP_SWEEP_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/parked' },
      }, { flagStoreFor: () => store, sendPortFor: () => ({ sendBatch: async () => ({ failed: [] }) }) });
      const report = await handler({}, lambdaContext('sweeper'));
      console.log(swept.join(','), report.cleared);
    `);
    expect(output.trim().split('\n').pop()).toBe('room-1 1');
  });

  it('ships the pp command as the package bin, runnable by plain Node through npm\'s .bin symlink', () => {
    const link = join(outdir, 'pp');
    symlinkSync(join(root, 'dist/pp.js'), link);
    const output = execFileSync(process.execPath, [link, 'plan', '--rate', '1/min', '--item-time', '30s', '--mode', 'fixed', '--parallelism', '1', '--burst', '10', '--chart', join(outdir, 'plan.svg')], { cwd: root, encoding: 'utf8' });
    expect(output).toMatch(/drain time: 10 min/);
    expect(existsSync(join(outdir, 'plan.svg'))).toBe(true);
  });
});
