/**
 * The package as a user installs it: `npm pack`, the tarball installed (from the npm cache,
 * falling back to the npm registry) with aws-cdk-lib and constructs beside a `cdk init`-style
 * CommonJS app and an ESM app, each type-checked with `skipLibCheck: false` (the ESM one under
 * NodeNext, Node16 and bundler), synthesized with bundling by the installed esbuild, and the
 * CommonJS app's cloud assembly run by the installed `pp-local` command.
 *
 * Both apps share one `node_modules` in their parent folder (Node and TypeScript resolve
 * upwards), so the tarball's dependency tree is installed once.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConsumerApp } from './consumer-apps';

const repo = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'pp-tarball-'));
const tsc = join(repo, 'node_modules', '.bin', 'tsc');
const env = { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const pinned = (name: string) => `${name}@${(JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version}`;

function run(cmd: string, args: readonly string[], cwd: string, extraEnv: Record<string, string> = {}): { status: number | null; output: string } {
  const r = spawnSync(cmd, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function typeCheck(app: string, ...flags: string[]): string {
  const r = run(tsc, ['-p', join(work, app), '--skipLibCheck', 'false', ...flags], work);
  return r.status === 0 ? 'ok' : r.output;
}

function synth(app: string): Record<string, { Type: string }> {
  const r = run(process.execPath, ['bin/app.js'], join(work, app), { CDK_OUTDIR: 'cdk.out' });
  expect(r.output).not.toMatch(/docker/i);
  expect(r.status, r.output).toBe(0);
  return (JSON.parse(readFileSync(join(work, app, 'cdk.out', 'Consumer.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> }).Resources;
}

describe('packed tarball in fresh CDK apps', () => {
  beforeAll(() => {
    execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: repo, env, stdio: 'pipe' });
    const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'consumers', version: '0.0.0', private: true }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--save-exact',
      `./pp-patterns-${version}.tgz`, pinned('aws-cdk-lib'), pinned('constructs'), pinned('@types/node')], { cwd: work, env, stdio: 'pipe' });
    writeConsumerApp(join(work, 'cjs-app'), 'commonjs');
    writeConsumerApp(join(work, 'esm-app'), 'module');
  }, 600_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ships no demo, tests or fixtures, and a LICENSE', () => {
    const shipped = join(work, 'node_modules', 'pp-patterns');
    expect(existsSync(join(shipped, 'LICENSE'))).toBe(true);
    for (const path of ['functions/demo', 'infra/stacks', 'test', 'bench', 'functions/lib/testing', 'dist/types/functions/demo']) {
      expect(existsSync(join(shipped, path)), path).toBe(false);
    }
  });

  it('type-checks the cdk init (CommonJS, NodeNext) app with skipLibCheck false', () => {
    expect(typeCheck('cjs-app')).toBe('ok');
  });

  it.each([
    ['NodeNext', ['--module', 'nodenext', '--moduleResolution', 'nodenext']],
    ['Node16', ['--module', 'node16', '--moduleResolution', 'node16']],
    ['bundler', ['--module', 'preserve', '--moduleResolution', 'bundler']],
  ])('type-checks the ESM app under %s with skipLibCheck false', (_name, flags) => {
    expect(typeCheck('esm-app', '--noEmit', ...flags)).toBe('ok');
  });

  it.each(['cjs-app', 'esm-app'])('synthesizes %s, bundling its handler with the installed esbuild', (app) => {
    if (app === 'esm-app') expect(typeCheck('esm-app')).toBe('ok');
    const resources = Object.values(synth(app)).map((r) => r.Type);
    expect(resources.filter((t) => t === 'AWS::SQS::Queue')).toHaveLength(2);
    expect(resources).toContain('AWS::Lambda::EventSourceMapping');
  });

  it('runs the CommonJS app on the installed local runtime (pp-local run)', () => {
    const app = join(work, 'cjs-app');
    const bodies = [...[1, 2, 3, 4, 5].map((n) => ({ id: `j${n}`, size: n })), { id: 'bad', size: -1 }];
    writeFileSync(join(app, 'items.jsonl'), bodies.map((b) => JSON.stringify(b)).join('\n'));
    const r = run(join(work, 'node_modules', '.bin', 'pp-local'), ['run', '--app-dir', 'cdk.out', '--send', 'items.jsonl', '--to', 'IngressQueueUrl', '--time-scale', '0.05', '--timeout', '120'], app);
    expect(r.output).toContain('summary: in=6 done=5 dlq=1 lost=0');
    expect(r.status, r.output).toBe(0);
  });
});
