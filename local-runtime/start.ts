/**
 * `npm start`: synthesizes the demo app, boots the embedded local runtime on `cdk.out`, sends
 * `PP_ITEMS` orders (default 1,000; every third one express) to the demo's SQS ingress, shows
 * progress on stderr, waits until every order is done or in a dead-letter queue, and prints one
 * summary line plus the per-service request table.
 *
 * The demo splits orders by shipping: express ones are written by one worker, standard ones go
 * through a Validate → Price → Store chain; both end as one item each in the orders table. So
 * done = items in the orders table (output `OrdersTableName`), dlq = distinct orders in the
 * dead-letter queues of every step that are not in the table (a parked copy of a written order
 * is a duplicate, not a loss), lost = in − done − dlq.
 *
 * Environment: PP_ITEMS, PP_TIMEOUT_SECONDS (300), PP_TIME_SCALE (1: wall time; 0.05 runs the runtime
 * clock, which SQS timers, batching windows, schedules, Wait states and the functions' Date follow,
 * 20× faster — for runs with faults, whose retries wait out visibility timeouts),
 * PP_WORKERS (4 execution environments per function), PP_SKIP_SYNTH=1 (reuse cdk.out),
 * PP_LOG_FILE (function logs), PP_FAILURE_RATE / PP_DUPLICATE_RATE / PP_CONCURRENT_DUPLICATE_SHARE /
 * PP_THROTTLE_RATE (faults),
 * PP_SEED.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { runDemo } from './demo-run';
import { functionErrorLines, operationTable, runPassed, serviceTable, summaryLine } from './runtime/accounting/report';
import { RuntimeConfigError } from './runtime/errors';
import { LocalRuntime } from './runtime/local-runtime';
import { runMain } from './run-main';

const ROOT = resolve(import.meta.dirname, '..');

function numberEnv(name: string, fallback: number, violations: string[]): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) violations.push(`${name} must be a number, got "${raw}"`);
  return value;
}

function settings() {
  const violations: string[] = [];
  const s = {
    items: numberEnv('PP_ITEMS', 1000, violations),
    timeoutSeconds: numberEnv('PP_TIMEOUT_SECONDS', 300, violations),
    // Unscaled by default: batching windows and long polls then match AWS, and so do the requests per item.
    timeScale: numberEnv('PP_TIME_SCALE', 1, violations),
    workers: numberEnv('PP_WORKERS', 4, violations),
    failureRate: numberEnv('PP_FAILURE_RATE', 0, violations),
    duplicateRate: numberEnv('PP_DUPLICATE_RATE', 0, violations),
    concurrentShare: numberEnv('PP_CONCURRENT_DUPLICATE_SHARE', 0, violations),
    throttleRate: numberEnv('PP_THROTTLE_RATE', 0, violations),
  };
  if (!(Number.isInteger(s.items) && s.items >= 1)) violations.push(`PP_ITEMS must be a positive integer, got ${s.items}`);
  if (violations.length > 0) throw new RuntimeConfigError(violations);
  return s;
}

function synthesize(): void {
  if (process.env.PP_SKIP_SYNTH === '1') return;
  process.stderr.write('synthesizing the demo app (cdk synth)...\n');
  const result = spawnSync(resolve(ROOT, 'node_modules/.bin/cdk'), ['synth', '--quiet'], {
    cwd: ROOT,
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new RuntimeConfigError([`cdk synth failed with exit code ${result.status}`]);
}

async function main(): Promise<number> {
  // The SDK's Node 20 end-of-support notice is noise here (versions are pinned).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const s = settings();
  synthesize();
  const log = process.env.PP_LOG_FILE ? createWriteStream(process.env.PP_LOG_FILE) : undefined;
  const runtime = await LocalRuntime.start({
    assemblyDir: resolve(ROOT, 'cdk.out'),
    projectRoot: ROOT,
    timeScale: s.timeScale,
    maxWorkersPerFunction: s.workers,
    seed: process.env.PP_SEED,
    faults: { invocationErrorRate: s.failureRate, duplicateDeliveryRate: s.duplicateRate, concurrentDuplicateShare: s.concurrentShare, throttleRate: s.throttleRate },
    onLog: log ? (fn, line) => log.write(`${fn} ${line}\n`) : undefined,
  });
  try {
    for (const warning of runtime.warnings) process.stderr.write(`warning: ${warning}\n`);
    const { report, timedOut } = await runDemo(runtime, { items: s.items, timeoutSeconds: s.timeoutSeconds });
    if (timedOut) process.stderr.write(`timed out after ${s.timeoutSeconds} s\n`);
    process.stderr.write(`${report.itemsPerSecond.toFixed(0)} items/s, ${report.emptyReceives} empty receives\n`);
    if (process.env.PP_VERBOSE === '1') process.stdout.write(`${operationTable(report)}\n\n`);
    process.stdout.write(`${serviceTable(report)}\n${summaryLine(report)}\n`);
    for (const line of functionErrorLines(report)) process.stdout.write(`${line}\n`);
    return runPassed(report, timedOut) ? 0 : 1;
  } finally {
    await runtime.stop();
    // process.exit follows: let the log file take its last lines first.
    if (log) await new Promise<void>((done) => log.end(done));
  }
}

runMain(main);
