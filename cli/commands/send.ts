/**
 * `pp send --stack S --to Output items.jsonl` (or stdin): every line as one message, in
 * size-packed batches, resumable through a journal of acknowledged lines.
 */
import { readFileSync } from 'node:fs';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { sqsSendPort } from '../../functions/lib/aws/sqs-send-port';
import { resolveQueueUrl } from '../aws/stack';
import { SendJournal } from '../send/journal';
import { checkSource, fileSource, lineWindows, textSource } from '../send/source';
import { sendLines, type SendReport } from '../send/send';
import { intIn } from '../units';
import { outputsOf, withContext, withTargetOptions, type CommandContext, type TargetOptions } from './common';

/** Options of `pp send`. */
export interface SendOptions extends TargetOptions {
  /** Output key, queue URL or ARN of the queue to send to. */
  readonly to: string;
  /** Input file; stdin when absent or `-`. */
  readonly file?: string;
  /** Journal path. @default - `<file>.pp-journal`; none for stdin */
  readonly journal?: string;
  readonly concurrency: number;
  readonly groupField?: string;
  readonly dedupField?: string;
  /** Show a progress bar. @default - when stderr is a terminal */
  readonly progress?: boolean;
  /** Stops the send (SIGINT does this from the command line). */
  readonly signal?: AbortSignal;
}

/** Runs `pp send`; resolves with the exit code. */
export async function runSend(options: SendOptions, context: CommandContext): Promise<number> {
  const fromStdin = options.file === undefined || options.file === '-';
  const source = fromStdin ? textSource(readFileSync(0, 'utf8')) : fileSource(options.file as string);
  const { digest, total } = await checkSource(source);
  const queueUrl = await resolveQueueUrl(context.clients.sqs, await outputsOf(context, options.stack), options.to);
  const fifo = queueUrl.endsWith('.fifo');
  if (fifo && options.groupField === undefined) throw new Error(`${queueUrl} is a FIFO queue: pass --group-field`);
  const journalPath = options.journal ?? (fromStdin ? undefined : `${options.file}.pp-journal`);
  const journal = journalPath === undefined ? SendJournal.inMemory() : SendJournal.open(journalPath, queueUrl, digest);
  // A missing queue or a denied caller fails here, before the bar starts, rather than as N failed lines.
  await context.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const bar = options.progress ?? process.stderr.isTTY ? progressBar(total, journal.size) : undefined;
  try {
    let report: SendReport = { total: 0, skipped: 0, sent: 0, failed: [], interrupted: false };
    for await (const lines of lineWindows(source, WINDOW_LINES)) {
      if (options.signal?.aborted) {
        report = { ...report, interrupted: true };
        break;
      }
      report = merge(report, await sendLines({
        lines, journal, port: sqsSendPort(queueUrl, context.clients.sqs),
        // FIFO order holds within a group only if its batches go one after another.
        concurrency: fifo ? 1 : options.concurrency,
        fifo: fifo ? { groupField: options.groupField as string, dedupField: options.dedupField } : undefined,
        onProgress: (done) => bar?.update(done),
        signal: options.signal,
      }));
    }
    bar?.stop();
    report = { ...report, total };
    summarize(report, queueUrl, journalPath).forEach(context.print);
    return report.failed.length > 0 || report.interrupted ? 1 : 0;
  } finally {
    bar?.stop();
  }
}

/** Lines read and sent per window: enough to keep every batch slot busy, few enough to stream any file. */
const WINDOW_LINES = 5_000;

function merge(a: SendReport, b: SendReport): SendReport {
  return { total: a.total + b.total, skipped: a.skipped + b.skipped, sent: a.sent + b.sent, failed: [...a.failed, ...b.failed], interrupted: a.interrupted || b.interrupted };
}

/** The report's lines. */
export function summarize(report: SendReport, queueUrl: string, journalPath: string | undefined): string[] {
  const lines = [`sent ${report.sent} of ${report.total} lines to ${queueUrl}` + (report.skipped > 0 ? ` (${report.skipped} skipped: acknowledged by an earlier run)` : '')];
  for (const f of report.failed) lines.push(`  line ${f.id} not sent: ${f.code} ${f.message}`);
  if (report.interrupted) lines.push(`interrupted: run the same command again to send the rest${journalPath ? ` (journal ${journalPath})` : ''}`);
  else if (report.failed.length > 0 && journalPath) lines.push(`run the same command again to retry the ${report.failed.length} failed line(s) only`);
  return lines;
}

/** A cli-progress bar whose rate counts only this run's lines (skipped ones are not a speed). */
function progressBar(total: number, start: number): { update(done: number): void; stop(): void } {
  const bar = new SingleBar({
    format: 'sending [{bar}] {value}/{total} lines | {percentage}% | {rate}/s | ETA {eta_formatted}',
    etaBuffer: 50,
    hideCursor: true,
  });
  const startedAt = Date.now();
  bar.start(total, start, { rate: '0' });
  return {
    update: (done) => bar.update(done, { rate: ((done - start) / Math.max(0.001, (Date.now() - startedAt) / 1000)).toFixed(0) }),
    stop: () => bar.stop(),
  };
}

/** The `send` subcommand. */
export function sendCommand(): Command {
  return withTargetOptions(new Command('send'))
    .description('send each JSON line as one message: batched, concurrent, resumable, with progress')
    .argument('[file]', 'JSON-lines file (default: stdin)')
    .requiredOption('--to <queue>', 'stack output key, queue URL or queue ARN')
    .option('--journal <path>', 'journal of acknowledged lines (default: <file>.pp-journal; stdin: none)')
    .option('--concurrency <n>', 'batches in flight at once (FIFO: always 1)', intIn(1, 100), 8)
    .option('--group-field <path>', 'FIFO: body field (dot path) giving the message group id')
    .option('--dedup-field <path>', 'FIFO: body field giving the deduplication id (default: a hash of line number and body)')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string | undefined, options: Omit<SendOptions, 'file' | 'signal'>) => {
      const abort = new AbortController();
      // First Ctrl-C: finish the batches in flight and journal them; a second one kills.
      process.once('SIGINT', () => abort.abort());
      await withContext(options, (context) => runSend({ ...options, file, signal: abort.signal }, context));
    });
}
