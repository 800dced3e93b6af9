/**
 * The progress journal that makes `pp send` resumable: after each batch SQS acknowledged, the
 * batch's line numbers are appended (synchronously) as one line, so a re-run skips them. The
 * first line names the queue and the input's digest: a journal never applies to another input.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const HEADER = 'pp-send-journal v1';

/** Acknowledged line numbers of one input sent to one queue. */
export class SendJournal {
  private readonly acked: Set<number>;

  private constructor(private readonly path: string | undefined, acked: Iterable<number>) {
    this.acked = new Set(acked);
  }

  /** A journal kept only in memory (stdin without `--journal`): nothing to resume from. */
  public static inMemory(): SendJournal {
    return new SendJournal(undefined, []);
  }

  /**
   * Opens (or creates) the journal at `path` for `queueUrl` and the input with `digest`.
   * @throws Error when the file belongs to another queue or input
   */
  public static open(path: string, queueUrl: string, digest: string): SendJournal {
    const header = `${HEADER} ${queueUrl} ${digest}`;
    if (!existsSync(path)) {
      writeFileSync(path, `${header}\n`);
      return new SendJournal(path, []);
    }
    const [first, ...rest] = readFileSync(path, 'utf8').split('\n');
    if (first !== header) throw new Error(`journal ${path} belongs to another queue or input (${first ?? 'empty'}); delete it to start over`);
    // A line cut short by a kill mid-write has no newline after it and is ignored: those lines are re-sent.
    const complete = rest.slice(0, -1);
    return new SendJournal(path, complete.flatMap((line) => line.split(' ').filter(Boolean).map(Number)));
  }

  /** Whether `line` was acknowledged. */
  public has(line: number): boolean {
    return this.acked.has(line);
  }

  /** How many lines were acknowledged. */
  public get size(): number {
    return this.acked.size;
  }

  /** Records acknowledged lines (written before this returns). */
  public record(lines: readonly number[]): void {
    if (lines.length === 0) return;
    lines.forEach((line) => this.acked.add(line));
    if (this.path) appendFileSync(this.path, `${lines.join(' ')}\n`);
  }
}
