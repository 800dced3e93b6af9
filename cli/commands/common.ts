/**
 * What every AWS-facing `pp` command shares: the `--stack`, `--endpoint-url` and `--region`
 * options, turning them into clients, and resolving a stack's outputs.
 */
import type { Command } from 'commander';
import { awsClients, type AwsClients, type AwsTarget } from '../aws/target';
import { stackOutputs, type StackOutputs } from '../aws/stack';

/** Options every AWS-facing command takes. */
export interface TargetOptions {
  /** Stack whose outputs name the resources. */
  readonly stack?: string;
  /** Endpoint of every AWS service (LocalStack, the local runtime). */
  readonly endpointUrl?: string;
  readonly region?: string;
}

/** What a command's run function is handed (tests hand their own clients and output). */
export interface CommandContext {
  readonly clients: AwsClients;
  /** Writes one line of the command's report. */
  readonly print: (line: string) => void;
}

/** Adds the shared options to `command`. */
export function withTargetOptions(command: Command): Command {
  return command
    .option('--stack <name>', 'CloudFormation stack whose outputs name the queues and tables')
    .option('--endpoint-url <url>', 'send every AWS call here (LocalStack, the local runtime) — AWS_ENDPOINT_URL works too')
    .option('--region <region>', 'AWS region (default: the SDK\'s default chain)');
}

/** The clients of a command run from its options (the default credential chain). */
export function contextFrom(options: TargetOptions): CommandContext {
  const target: AwsTarget = { endpoint: options.endpointUrl, region: options.region };
  return { clients: awsClients(target), print: (line) => process.stdout.write(`${line}\n`) };
}

/** The stack's outputs, or undefined when no stack was named. */
export async function outputsOf(context: CommandContext, stack: string | undefined): Promise<StackOutputs | undefined> {
  return stack === undefined ? undefined : stackOutputs(context.clients.cloudFormation, stack);
}

/** Runs `fn` with a context built from `options`, closing the clients afterwards. */
export async function withContext(options: TargetOptions, fn: (context: CommandContext) => Promise<number>): Promise<void> {
  const context = contextFrom(options);
  try {
    process.exitCode = await fn(context);
  } finally {
    context.clients.destroy();
  }
}
