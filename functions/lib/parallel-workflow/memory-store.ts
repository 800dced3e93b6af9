import type { StepRecord, StepRecordStore } from './types';

/** Step records in memory, for tests and the local bench; copies values as JSON would. */
export class InMemoryStepRecordStore implements StepRecordStore {
  private readonly runs = new Map<string, Map<string, StepRecord>>();

  /** @inheritdoc */
  public async get(run: string, steps: readonly string[]): Promise<Map<string, StepRecord>> {
    const records = this.runs.get(run);
    return new Map(steps.flatMap((s) => (records?.has(s) ? [[s, structuredClone(records.get(s) as StepRecord)] as const] : [])));
  }

  /** @inheritdoc */
  public async put(run: string, record: StepRecord): Promise<void> {
    if (!this.runs.has(run)) this.runs.set(run, new Map());
    this.runs.get(run)?.set(record.step, structuredClone(record));
  }

  /** @inheritdoc */
  public async list(run: string): Promise<StepRecord[]> {
    return [...(this.runs.get(run)?.values() ?? [])].map((r) => structuredClone(r));
  }
}
