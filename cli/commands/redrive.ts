/**
 * `pp redrive --stack S --from Dlq [--filter …] [--rate N]`: dead-lettered messages back to
 * the queue they failed in (or `--to`), never losing one on interruption.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { Command } from 'commander';
import type { FilterPattern } from '../../functions/contract';
import { validatePattern } from '../../functions/lib/routing/filter-pattern';
import { queueUrlsOf, resolveQueueUrl } from '../aws/stack';
import { redrive, type RedriveReport } from '../redrive/redrive';
import { urlOfArn } from '../status/queues';
import { numberIn } from '../units';
import { outputsOf, withContext, withTargetOptions, type CommandContext, type TargetOptions } from './common';

/** Options of `pp redrive`. */
export interface RedriveCommandOptions extends TargetOptions {
  /** Output key, URL or ARN of the dead-letter queue. */
  readonly from: string;
  /** Output key, URL or ARN of the destination. @default - each message's source queue */
  readonly to?: string;
  /** A Lambda event-filter pattern over the JSON body, as JSON text. */
  readonly filter?: string;
  readonly reason?: string;
  readonly rate?: number;
  readonly signal?: AbortSignal;
}

/** Runs `pp redrive`; resolves with the exit code. */
export async function runRedrive(options: RedriveCommandOptions, context: CommandContext): Promise<number> {
  const { sqs } = context.clients;
  const outputs = await outputsOf(context, options.stack);
  const fromUrl = await resolveQueueUrl(sqs, outputs, options.from);
  const arnOf = async (url: string) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'RedrivePolicy'] }))).Attributes ?? {};
  const fromArn = (await arnOf(fromUrl)).QueueArn;
  // The stack's queues whose redrive policy targets this DLQ: with exactly one, it is the destination.
  const sourceArns: string[] = [];
  for (const { url } of outputs ? queueUrlsOf(outputs) : []) {
    const a = await arnOf(url);
    if (a.RedrivePolicy && (JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn === fromArn && a.QueueArn) sourceArns.push(a.QueueArn);
  }
  const toUrl = options.to === undefined ? undefined : await resolveQueueUrl(sqs, outputs, options.to);
  const report = await redrive({
    sqs, fromUrl, sourceArns, urlOfArn: (arn) => urlOfArn(sqs, arn),
    to: toUrl === undefined ? undefined : { url: toUrl, arn: (await arnOf(toUrl)).QueueArn ?? '' },
    filter: options.filter === undefined ? undefined : parseFilter(options.filter),
    reasonContains: options.reason, rate: options.rate, signal: options.signal,
  });
  describe(report, fromUrl).forEach(context.print);
  return report.noDestination > 0 ? 1 : 0;
}

/** Parses and checks `--filter`. @throws Error quoting what is wrong */
export function parseFilter(text: string): FilterPattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`--filter must be a JSON filter pattern such as '{"type":["order"]}': ${(error as Error).message}`);
  }
  validatePattern(parsed);
  return parsed as FilterPattern;
}

function describe(report: RedriveReport, fromUrl: string): string[] {
  if (report.mode === 'move-task') return [`started SQS message move task ${report.taskHandle ?? ''} from ${fromUrl}`];
  const lines = [`moved ${report.moved} message(s) from ${fromUrl}; ${report.kept} did not match and stay`];
  if (report.noDestination > 0) lines.push(`${report.noDestination} matching message(s) stay: no source queue known — pass --to`);
  if (report.fallbackReason) lines.push(`(receive/send/delete used: ${report.fallbackReason})`);
  return lines;
}

/** The `redrive` subcommand. */
export function redriveCommand(): Command {
  return withTargetOptions(new Command('redrive'))
    .description('move dead-lettered messages back to their source queue (or --to), optionally filtered and rate-limited')
    .requiredOption('--from <dlq>', 'stack output key, URL or ARN of the dead-letter queue')
    .option('--to <queue>', 'destination (default: the queue each message failed in)')
    .option('--filter <json>', 'Lambda event-filter pattern over the JSON body, e.g. \'{"type":["order"]}\'')
    .option('--reason <text>', 'only messages whose failure reason contains this text')
    .option('--rate <n>', 'most messages per second', numberIn(0.001, 500))
    .action(async (options: Omit<RedriveCommandOptions, 'signal'>) => {
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      await withContext(options, (context) => runRedrive({ ...options, signal: abort.signal }, context));
    });
}
