/**
 * The summary report of one run: counts, per-item durations, wall time, every
 * failure and every invalid output with its reason, and where the combined result is.
 */
import type { AttemptRecord, ItemRecord, RunCounts, TolerancePolicy } from './types';

/** The report the join writes (all failures, by reference to the report object when large). */
export interface RunReport extends RunCounts {
  /** Per-item durations of the items that ran to an output, in ms. */
  readonly durationMs: { readonly p50: number; readonly p95: number; readonly max: number };
  readonly wallMs: number;
  readonly failures: readonly { readonly index: number; readonly ref?: string; readonly error: string; readonly cause: string }[];
  readonly invalidOutputs: readonly { readonly index: number; readonly ref?: string; readonly reason: string }[];
  /** Why the run failed, when it did. */
  readonly failureReason?: string;
}

/** The nearest-rank percentile of sorted values (0 when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Items that failed at least once and were tried again (a final failure is not a retry). */
export function retriedCount(items: readonly ItemRecord[], attempts: readonly AttemptRecord[]): number {
  const failedAttempts = new Map<number, number>();
  for (const a of attempts) failedAttempts.set(a.index, (failedAttempts.get(a.index) ?? 0) + 1);
  return items.filter((r) => (failedAttempts.get(r.index) ?? 0) - (r.status === 'failed' ? 1 : 0) > 0).length;
}

/**
 * Why the failures exceed the policy, or undefined when they do not. As AWS does: with no
 * threshold given none is tolerated; with thresholds given, exceeding any one fails the run.
 */
export function toleranceBreach(failed: number, total: number, policy: TolerancePolicy): string | undefined {
  const { toleratedFailureCount: count, toleratedFailurePercentage: pct } = policy;
  if (count === undefined && pct === undefined) return failed > 0 ? `${failed} of ${total} items failed and no failure is tolerated` : undefined;
  if (count !== undefined && failed > count) return `${failed} of ${total} items failed, over the tolerated count of ${count}`;
  const percent = total === 0 ? 0 : (failed / total) * 100;
  if (pct !== undefined && percent > pct) return `${failed} of ${total} items failed (${percent.toFixed(2)} %), over the tolerated ${pct} %`;
  return undefined;
}

/** Builds the report from the table's records. */
export function buildReport(runId: string, items: readonly ItemRecord[], attempts: readonly AttemptRecord[], wallMs: number, failureReason: string | undefined): Omit<RunReport, 'resultLocation'> {
  const sorted = [...items].sort((a, b) => a.index - b.index);
  const durations = sorted.flatMap((r) => (r.status === 'failed' ? [] : [r.durationMs])).sort((a, b) => a - b);
  return {
    runId,
    status: failureReason ? 'FAILED' : 'SUCCEEDED',
    total: sorted.length,
    succeeded: sorted.filter((r) => r.status === 'succeeded').length,
    failed: sorted.filter((r) => r.status === 'failed').length,
    invalid: sorted.filter((r) => r.status === 'invalid').length,
    retried: retriedCount(sorted, attempts),
    durationMs: { p50: percentile(durations, 50), p95: percentile(durations, 95), max: durations.at(-1) ?? 0 },
    wallMs,
    failures: sorted.flatMap((r) => (r.status === 'failed' ? [{ index: r.index, ref: r.ref, error: r.error, cause: r.cause }] : [])),
    invalidOutputs: sorted.flatMap((r) => (r.status === 'invalid' ? [{ index: r.index, ref: r.ref, reason: r.reason }] : [])),
    ...(failureReason ? { failureReason } : {}),
  };
}
