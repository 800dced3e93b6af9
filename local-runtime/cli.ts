/**
 * The local runtime's command line, for running any CDK app's synthesized stack locally:
 *
 *   node --import tsx local-runtime/cli.ts run --app-dir cdk.out --stack MyStack \
 *     --send items.jsonl --to IngressQueueUrl [--done-table OrdersTableName]
 *
 * Each non-empty line of the JSON-lines file is sent as one message body. `--to` names the
 * ingress queue by stack output, logical ID or queue name; `--done-table` names a table whose
 * item count is "done" (without it, done is what left the queues without being dead-lettered).
 *
 *   pp-local up --app-dir cdk.out [--port 4566]
 *
 * serves the stack until interrupted (see `up.ts`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { functionErrorLines, operationTable, runPassed, serviceTable, summaryLine } from './runtime/accounting/report';
import { runToCompletion } from './runtime/driver/run-to-completion';
import { LocalRuntime } from './runtime/local-runtime';
import { SkippingClock } from './scheduling/skipping-clock';
import { addClientCommands } from './client-commands';
import { upCommand, type UpCommandOptions } from './up';

/** Options of the `run` command, as commander parses them. */
export interface RunCommandOptions {
  readonly appDir: string;
  readonly stack?: string;
  readonly send: string;
  readonly to: string;
  readonly doneTable?: string;
  readonly timeout: number;
  /** Clock seconds of idle schedules and waits to skip through (see `--idle-horizon`). @default 900 */
  readonly idleHorizon?: number;
  readonly timeScale: number;
  readonly workers: number;
  readonly failureRate: number;
  readonly duplicateRate: number;
  readonly concurrentDuplicateShare?: number;
  readonly throttleRate: number;
  readonly seed?: string;
  readonly verbose?: boolean;
}

function number(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!(Number.isFinite(value) && value >= min && value <= max)) throw new InvalidArgumentError(`must be a number from ${min} to ${max}, got "${raw}"`);
    return value;
  };
}

/** Reads the message bodies of a JSON-lines file (one body per non-empty line). */
export function readBodies(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
}

/** Counts what left the queues without being dead-lettered (the default notion of done). */
async function leftTheQueues(runtime: LocalRuntime, total: number): Promise<number> {
  return (await runtime.isIdle()) ? total - (await runtime.deadLetteredItems()) : 0;
}

/** Runs the `run` command; resolves with the process exit code. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const bodies = readBodies(options.send);
  // Follows wall time, and skips ahead when only timers are left (a sweeper's next run).
  const clock = new SkippingClock({ timeScale: options.timeScale });
  const runtime = await LocalRuntime.start({
    clock,
    assemblyDir: resolve(options.appDir),
    stackName: options.stack,
    maxWorkersPerFunction: options.workers,
    seed: options.seed,
    faults: { invocationErrorRate: options.failureRate, duplicateDeliveryRate: options.duplicateRate, concurrentDuplicateShare: options.concurrentDuplicateShare, throttleRate: options.throttleRate },
  });
  try {
    for (const warning of runtime.warnings) process.stderr.write(`warning: ${warning}\n`);
    const table = options.doneTable === undefined ? undefined : runtime.tableName(options.doneTable);
    const { report, timedOut } = await runToCompletion({
      runtime,
      queueUrl: runtime.queue(options.to).url,
      bodies,
      countDone: () => (table ? runtime.dynamodb.count(table) : leftTheQueues(runtime, bodies.length)),
      timeoutSeconds: options.timeout,
      idleHorizonSeconds: options.idleHorizon,
    });
    if (timedOut) process.stderr.write(`timed out after ${options.timeout} s\n`);
    if (options.verbose) process.stdout.write(`${operationTable(report)}\n\n`);
    process.stdout.write(`${serviceTable(report)}\n${summaryLine(report)}\n`);
    for (const line of functionErrorLines(report)) process.stdout.write(`${line}\n`);
    return runPassed(report, timedOut) ? 0 : 1;
  } finally {
    await runtime.stop();
    clock.dispose();
  }
}

/** The CLI program. */
export function program(): Command {
  const cli = new Command('pp-local').description('Run a synthesized CDK stack on the embedded local runtime (no AWS, no Docker).');
  cli
    .command('run')
    .description('boot the stack, send a JSON-lines file to a queue, wait, and report')
    .requiredOption('--app-dir <dir>', 'cloud assembly directory', 'cdk.out')
    .option('--stack <name>', 'stack name (optional when the assembly holds one stack)')
    .requiredOption('--send <file>', 'JSON-lines file: one message body per line')
    .requiredOption('--to <ref>', 'ingress queue: stack output name, logical ID or queue name')
    .option('--done-table <ref>', 'table whose item count is "done": output name, logical ID or table name')
    .option('--timeout <seconds>', 'give up waiting after this long', number(1, 86_400), 300)
    .option('--idle-horizon <seconds>', 'when idle, skip through this much clock time of schedules and waits without progress before ending', number(0, 604_800), 900)
    .option('--time-scale <factor>', "wall seconds per second of the runtime clock, (0, 1]: 0.05 runs SQS timers, schedules, Wait states and the functions' Date 20x faster", number(0.0001, 1), 1)
    .option('--workers <n>', 'execution environments per function', number(1, 64), 4)
    .option('--failure-rate <rate>', 'fraction of invocations failed before the handler', number(0, 1), 0)
    .option('--duplicate-rate <rate>', 'fraction of messages delivered twice', number(0, 1), 0)
    .option('--concurrent-duplicate-share <share>', 'share of duplicates whose two copies are in flight at once (visibility expired mid-batch)', number(0, 1), 0)
    .option('--throttle-rate <rate>', "fraction of functions' AWS calls throttled", number(0, 1), 0)
    .option('--seed <seed>', 'seed of generated names and faults')
    .option('--verbose', 'also print requests per caller and operation')
    .action(async (options: RunCommandOptions) => {
      // Exit explicitly: the summary is printed, and an open handle left by a user's function
      // must not keep the command waiting.
      process.exit(await runCommand(options));
    });
  cli
    .command('up')
    .description('boot the stack and serve it on a fixed port until interrupted (Ctrl-C)')
    .requiredOption('--app-dir <dir>', 'cloud assembly directory', 'cdk.out')
    .option('--stack <name>', 'stack name (optional when the assembly holds one stack)')
    .option('--port <port>', 'port on 127.0.0.1', number(0, 65_535), 4566)
    .option('--region <region>', 'the region ARNs and URLs name', 'us-east-1')
    .option('--time-scale <factor>', "wall seconds per second of the runtime clock, (0, 1]: 0.05 runs SQS timers, schedules, Wait states and the functions' Date 20x faster", number(0.0001, 1), 1)
    .option('--workers <n>', 'execution environments per function', number(1, 64), 4)
    .option('--no-enforce-iam', "serve functions' requests without checking their role's policies")
    .option('--logs', "print the functions' log lines on stderr")
    .action(async (options: UpCommandOptions) => {
      process.exit(await upCommand(options));
    });
  addClientCommands(cli);
  return cli;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  program().parseAsync(process.argv).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
    process.exit(2);
  });
}
