/**
 * `pp-local up`: boots a cloud assembly and keeps it serving on a fixed port until SIGINT or
 * SIGTERM, so the AWS CLI, an SDK script or a test runner in another process can use it the way
 * they use LocalStack. Prints the endpoint, region and each principal's credentials first.
 */
import { resolve } from 'node:path';
import type { LocalRuntime } from './runtime/local-runtime';
import { type Clock, RealClock } from './scheduling/clock';
import { LocalRuntime as Runtime } from './runtime/local-runtime';

/** Options of the `up` command, as commander parses them. */
export interface UpCommandOptions {
  readonly appDir: string;
  readonly stack?: string;
  readonly port: number;
  readonly region: string;
  readonly timeScale: number;
  readonly workers: number;
  readonly enforceIam: boolean;
  readonly logs?: boolean;
}

/** What the runtime clock is: SQS timers, schedules, Wait states and the functions' `Date` follow it. */
function clockLine(clock: Clock): string {
  if (!(clock instanceof RealClock) || clock.timeScale === 1) return 'wall time (SQS timers, schedules, Wait states and functions\' Date)';
  return `${(1 / clock.timeScale).toPrecision(3).replace(/\.?0+$/, '')}x wall time from boot (time scale ${clock.timeScale}: SQS timers, schedules, Wait states and functions' Date)`;
}

/** The banner `up` prints once the stack serves: endpoint, region, credentials, queues. */
export function upBanner(runtime: LocalRuntime): string {
  const principals = runtime.principals.list().map(({ principal, credentials }) =>
    `  ${principal.kind.padEnd(13)} ${principal.name.padEnd(40)} AWS_ACCESS_KEY_ID=${credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`);
  const driver = runtime.driverCredentials();
  const queues = runtime.catalog.ofType('AWS::SQS::Queue').map(([id]) => `  ${id}: ${String(runtime.catalog.ref(id))}`);
  const outputs = Object.keys(runtime.catalog.stack.template.Outputs ?? {}).map((name) => `  ${name} = ${runtime.output(name)}`);
  return [
    `endpoint: ${runtime.endpoint}`,
    `region:   ${runtime.region}`,
    `clock:    ${clockLine(runtime.clock)}`,
    '',
    'principals (each key acts with that principal\'s IAM policies from the template):',
    ...principals,
    'any other access key acts as "external": counted under that name, not checked against IAM (full access).',
    '',
    'outputs:', ...outputs,
    'queues:', ...queues,
    '',
    `try: AWS_ACCESS_KEY_ID=${driver.accessKeyId} AWS_SECRET_ACCESS_KEY=${driver.secretAccessKey} aws --endpoint-url ${runtime.endpoint} --region ${runtime.region} sqs list-queues`,
    'ready (Ctrl-C stops)',
  ].join('\n');
}

/** Resolves once the process receives SIGINT or SIGTERM. */
function interrupted(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      done(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** Runs the `up` command; resolves with the process exit code after an interrupt. */
export async function upCommand(options: UpCommandOptions, until: Promise<unknown> = interrupted()): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const runtime = await Runtime.start({
    assemblyDir: resolve(options.appDir),
    stackName: options.stack,
    port: options.port,
    region: options.region,
    timeScale: options.timeScale,
    maxWorkersPerFunction: options.workers,
    enforceIam: options.enforceIam,
    onLog: options.logs ? (fn, line) => process.stderr.write(`[${fn}] ${line}\n`) : undefined,
  });
  try {
    for (const warning of runtime.warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(`${upBanner(runtime)}\n`);
    const signal = await until;
    process.stderr.write(`${String(signal)}: stopping\n`);
    return 0;
  } finally {
    await runtime.stop();
    process.stdout.write('stopped\n');
  }
}
