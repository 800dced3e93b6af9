/**
 * `pp status --stack S [--watch]`: per queue backlog, in flight, delayed, oldest message age
 * (CloudWatch) and DLQ depth; per
 * pattern table outstanding flags and sweep lag, active polls, pending tasks; per state machine
 * running executions and how the latest ended. With `--watch`
 * the screen refreshes until Ctrl-C.
 */
import { Command } from 'commander';
import { isQueueUrl, queueUrlsOf } from '../aws/stack';
import { oldestAges } from '../status/oldest-age';
import { queueStatuses } from '../status/queues';
import { stateMachinesOf, stateMachineStatuses } from '../status/state-machines';
import { renderStatus, type StatusSnapshot } from '../status/render';
import { tableStatuses } from '../status/tables';
import { parseDuration } from '../units';
import { outputsOf, withContext, withTargetOptions, type CommandContext, type TargetOptions } from './common';

/** Options of `pp status`. */
export interface StatusOptions extends TargetOptions {
  readonly stack: string;
  /** Refresh every this many seconds until stopped. */
  readonly watch?: number;
  /** Stops a watch. */
  readonly signal?: AbortSignal;
  /** The time flag and task deadlines are compared with (epoch ms). @default Date.now */
  readonly now?: () => number;
}

/** One snapshot of the stack. */
export async function statusSnapshot(options: StatusOptions, context: CommandContext): Promise<StatusSnapshot> {
  const outputs = (await outputsOf(context, options.stack)) ?? new Map<string, string>();
  const now = (options.now ?? Date.now)();
  const tableCandidates = [...outputs].filter(([, v]) => /^[A-Za-z0-9_.-]{3,255}$/.test(v) && !isQueueUrl(v)).map(([output, name]) => ({ output, name }));
  const [queues, tables, stateMachines] = await Promise.all([
    queueStatuses(context.clients.sqs, queueUrlsOf(outputs)),
    tableStatuses(context.clients.dynamodb, tableCandidates, now),
    stateMachineStatuses(context.clients.stepFunctions, stateMachinesOf(outputs)),
  ]);
  const ages = await oldestAges(context.clients.cloudWatch, queues.map((q) => q.name), now);
  return { title: `pp status — stack ${options.stack} — ${new Date(now).toISOString()}`, queues, tables, stateMachines, oldestAges: ages };
}

/** Runs `pp status`; resolves with the exit code (1 when a DLQ holds messages). */
export async function runStatus(options: StatusOptions, context: CommandContext): Promise<number> {
  for (;;) {
    const snapshot = await statusSnapshot(options, context);
    // Clear the screen and home the cursor, so the watch is one refreshing screen.
    if (options.watch !== undefined) context.print('\u001b[2J\u001b[H');
    renderStatus(snapshot).forEach(context.print);
    if (options.watch === undefined || options.signal?.aborted) return snapshot.queues.some((q) => (q.deadLetter?.depth ?? 0) > 0) ? 1 : 0;
    await sleep(options.watch * 1000, options.signal);
    if (options.signal?.aborted) return 0;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** The `status` subcommand. */
export function statusCommand(): Command {
  return withTargetOptions(new Command('status'))
    .description('backlog, in flight, DLQ depth per queue; flags, polls and pending tasks per pattern table')
    .option('--watch [interval]', 'refresh every interval (default 5s) until Ctrl-C', (raw: string) => parseDuration(raw))
    .action(async (options: Omit<StatusOptions, 'watch'> & { watch?: number | true }) => {
      if (options.stack === undefined) throw new Error('pp status needs --stack');
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      const watch = options.watch === true ? 5 : options.watch;
      await withContext(options, (context) => runStatus({ ...options, watch, signal: abort.signal }, context));
    });
}
