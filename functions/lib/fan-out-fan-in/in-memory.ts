/**
 * In-memory results table and report sink: for users' handler tests and for running the
 * state machine locally without DynamoDB or S3. Same contract as the AWS adapters.
 */
import type { AttemptRecord, ItemRecord, Progress, ReportSink, ResultStore } from './types';

const ZERO: Progress = { succeeded: 0, failed: 0, invalid: 0, failedAttempts: 0 };

/** A results table in a Map. */
export class InMemoryResultStore implements ResultStore {
  private readonly runs = new Map<string, { items: Map<number, ItemRecord>; attempts: AttemptRecord[]; progress: Progress }>();

  private run(runId: string) {
    let run = this.runs.get(runId);
    if (!run) this.runs.set(runId, (run = { items: new Map(), attempts: [], progress: ZERO }));
    return run;
  }

  /** @inheritdoc */
  public async settled(runId: string, indexes: readonly number[]): Promise<ReadonlyMap<number, ItemRecord['status']>> {
    const { items } = this.run(runId);
    return new Map(indexes.flatMap((i) => (items.has(i) ? [[i, items.get(i)!.status] as const] : [])));
  }

  /** @inheritdoc */
  public async record(runId: string, records: readonly ItemRecord[]): Promise<readonly ItemRecord[]> {
    const { items } = this.run(runId);
    const written = records.filter((r) => !items.has(r.index));
    for (const r of written) items.set(r.index, structuredClone(r));
    return written;
  }

  /** @inheritdoc */
  public async recordAttempts(runId: string, attempts: readonly AttemptRecord[]): Promise<void> {
    this.run(runId).attempts.push(...attempts);
  }

  /** @inheritdoc */
  public async addProgress(runId: string, delta: Partial<Progress>): Promise<void> {
    const run = this.run(runId);
    const p = run.progress;
    run.progress = { succeeded: p.succeeded + (delta.succeeded ?? 0), failed: p.failed + (delta.failed ?? 0), invalid: p.invalid + (delta.invalid ?? 0), failedAttempts: p.failedAttempts + (delta.failedAttempts ?? 0) };
  }

  /** @inheritdoc */
  public async progress(runId: string): Promise<Progress> {
    return this.run(runId).progress;
  }

  /** @inheritdoc */
  public async list(runId: string): Promise<{ items: readonly ItemRecord[]; attempts: readonly AttemptRecord[] }> {
    const run = this.run(runId);
    return { items: [...run.items.values()], attempts: [...run.attempts] };
  }
}

/** A report sink that keeps the objects. */
export class InMemoryReportSink implements ReportSink {
  /** The objects written, by key. */
  public readonly objects = new Map<string, unknown>();

  /** @param bucket the bucket named in the locations returned */
  constructor(private readonly bucket = 'results') {}

  /** @inheritdoc */
  public async put(key: string, body: unknown): Promise<string> {
    this.objects.set(key, structuredClone(body));
    return `s3://${this.bucket}/${key}`;
  }
}
