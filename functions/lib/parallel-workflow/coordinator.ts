/**
 * The ParallelWorkflow coordinator's core: answers gates, records results and failures,
 * collects the run's summary. Every action is idempotent (a retried call writes the same record).
 */
import { PoisonRecordError } from '../errors';
import { fitInline, isStepResultRef } from './refs';
import type { CoordinatorEvent, GateAnswer, StepRecord, StepRecordStore, WorkflowSummary } from './types';

/**
 * A gate: `waiting` while a dependency has no record; `skip` (recorded) when one failed or was
 * skipped; else `ready` with the dependencies' results by id.
 */
export async function gate(store: StepRecordStore, run: string, step: string, dependsOn: readonly string[]): Promise<GateAnswer> {
  const records = await store.get(run, dependsOn);
  if (dependsOn.some((d) => !records.has(d))) return { status: 'waiting', results: {} };
  const missed = dependsOn.filter((d) => records.get(d)?.status !== 'done');
  if (missed.length > 0) {
    await store.put(run, { step, status: 'skipped', because: missed });
    return { status: 'skip', results: {} };
  }
  return { status: 'ready', results: fitInline(new Map(dependsOn.map((d) => [d, (records.get(d) as { result: unknown }).result]))) };
}

/** Lambda's error cause is its error payload as JSON; keep the message, else the text. */
function causeMessage(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}

/** Records a failed step and returns the cause the `abort` policy fails the run with. */
export async function fail(store: StepRecordStore, run: string, step: string, error: { Error?: string; Cause?: string }): Promise<{ cause: string }> {
  const record: StepRecord = { step, status: 'failed', error: error.Error ?? 'Error', cause: causeMessage(error.Cause) };
  await store.put(run, record);
  return { cause: JSON.stringify({ step, error: record.error, cause: record.cause }) };
}

/** Gathers the run's records into its summary, in the steps' declaration order. */
export async function collect(store: StepRecordStore, run: string, steps: readonly string[]): Promise<WorkflowSummary> {
  const byStep = new Map((await store.list(run)).map((r) => [r.step, r]));
  const records = steps.map((s) => byStep.get(s)).filter((r): r is StepRecord => r !== undefined);
  const done = new Map(records.flatMap((r) => (r.status === 'done' ? [[r.step, r.result] as const] : [])));
  return {
    status: done.size === steps.length ? 'succeeded' : 'failed',
    results: fitInline(done),
    errors: records.flatMap((r) => (r.status === 'failed' ? [{ step: r.step, error: r.error, cause: r.cause }] : [])),
    skipped: records.flatMap((r) => (r.status === 'skipped' ? [{ step: r.step, because: r.because }] : [])),
  };
}

/** Runs one coordinator event. @throws PoisonRecordError for an event of unknown shape */
export async function coordinate(store: StepRecordStore, event: CoordinatorEvent): Promise<unknown> {
  switch (event?.action) {
    case 'gate':
      return gate(store, event.run, event.step, event.dependsOn);
    case 'record':
      // A step built with the factory already stored a large result under its own id.
      if (!(isStepResultRef(event.result) && event.result.$ppStepResult === event.step)) {
        await store.put(event.run, { step: event.step, status: 'done', result: event.result });
      }
      return { recorded: event.step };
    case 'fail':
      return fail(store, event.run, event.step, event.error ?? {});
    case 'collect':
      return collect(store, event.run, event.steps);
    default:
      throw new PoisonRecordError(`unknown coordinator action ${JSON.stringify((event as { action?: unknown } | null)?.action)}`);
  }
}
