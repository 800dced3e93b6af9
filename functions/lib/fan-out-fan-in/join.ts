/**
 * The fan-in join's core (a barrier): runs once every item has settled, reads the
 * whole result set from the results table (never the state payload), applies the failure
 * policy, calls the user's `combine` on the valid outputs in item order, and writes the
 * combined result and the report. Past the policy it writes the report and throws, so the
 * execution fails with a clear cause and nothing after the join (a destructive step) runs.
 */
import type { Clock } from '../clock';
import { ToleratedFailureExceededError } from './errors';
import { buildReport, toleranceBreach } from './report';
import type { JoinEvent, ReportSink, ResultStore, RunSummary, TolerancePolicy } from './types';

/** One valid output, as `combine` receives it. */
export interface FanOutResult<O = unknown> {
  readonly index: number;
  readonly ref?: string;
  readonly output: O;
}

/** The user's code and settings of a join. */
export interface FanOutJoinOptions<O = unknown, C = unknown> {
  /** Combines the valid outputs (in item order) into the final result. @default - no combined result */
  readonly combine?: (results: readonly FanOutResult<O>[], context: { readonly runId: string }) => Promise<C>;
  /** Where outcomes are read (the factory's wiring). @default - the construct's DynamoDB results table */
  readonly store?: ResultStore;
  /** Where the report and the combined result go. @default - the construct's result bucket */
  readonly sink?: ReportSink;
  /** The failure policy. @default - the construct's tolerated failures */
  readonly policy?: TolerancePolicy;
}

/** What the join core talks to. */
export interface JoinDeps {
  readonly store: ResultStore;
  readonly sink: ReportSink;
  readonly clock: Clock;
  readonly policy: TolerancePolicy;
  /** Tells the Reduce fed by the workers how many partials the run has (its valid items). @default - no Reduce */
  readonly declareExpected?: (runId: string, expected: number) => Promise<void>;
}

/** Runs the join; resolves with the summary, or throws ToleratedFailureExceededError after writing the report. */
export async function runJoin<O, C>(options: FanOutJoinOptions<O, C>, deps: JoinDeps, event: JoinEvent): Promise<RunSummary> {
  const { runId } = event;
  const { items, attempts } = await deps.store.list(runId);
  const failed = items.filter((r) => r.status === 'failed').length;
  const mapReason = event.mapError ? `the Map failed: ${event.mapError.Error ?? 'Error'}: ${event.mapError.Cause ?? ''}` : undefined;
  const reason = mapReason ?? toleranceBreach(failed, items.length, deps.policy);
  const wallMs = Math.max(0, deps.clock.now() - Date.parse(event.startedAt));
  const report = buildReport(runId, items, attempts, wallMs, reason);
  let resultLocation: string | undefined;
  if (!reason && options.combine) {
    const valid = items.flatMap((r) => (r.status === 'succeeded' ? [{ index: r.index, ref: r.ref, output: r.output as O }] : [])).sort((a, b) => a.index - b.index);
    resultLocation = await deps.sink.put(`runs/${runId}/combined.json`, await options.combine(valid, { runId }));
  }
  // The Reduce's aggregation becomes final once it holds one partial per valid item, and only
  // for a run within its policy (a run with none has no aggregate).
  const valid = items.filter((r) => r.status === 'succeeded').length;
  if (!reason && valid > 0) await deps.declareExpected?.(runId, valid);
  const reportLocation = await deps.sink.put(`runs/${runId}/report.json`, { ...report, resultLocation });
  if (reason) throw new ToleratedFailureExceededError(reason, reportLocation);
  const { status, total, succeeded, invalid, retried } = report;
  return { runId, status, total, succeeded, failed, invalid, retried, reportLocation, ...(resultLocation ? { resultLocation } : {}) };
}
