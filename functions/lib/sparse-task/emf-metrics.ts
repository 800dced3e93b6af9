/**
 * {@link SparseTaskMetrics} on Powertools Metrics (EMF): one count per submitted and finished
 * task by terminal status, the completion latency of each finished task, and one count per
 * losing write by kind. Names come from the contract, so the construct's `metric*` methods
 * read exactly what the handlers write.
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { SparseTaskMetric } from '../../contract';
import type { LoserKind, SparseTaskMetrics, TerminalStatus } from './types';

const BY_STATUS: Record<TerminalStatus, string> = {
  SUCCEEDED: SparseTaskMetric.tasksSucceeded,
  FAILED: SparseTaskMetric.tasksFailed,
  TIMED_OUT: SparseTaskMetric.tasksTimedOut,
};

const BY_LOSER: Record<LoserKind, string> = {
  LATE: SparseTaskMetric.lateCompletions,
  DUPLICATE: SparseTaskMetric.duplicateCompletions,
  STALE_TIMEOUT: SparseTaskMetric.staleTimeouts,
};

/** Reports the core's events as EMF metrics on `metrics` (flushed by its middleware). */
export function emfTaskMetrics(metrics: Metrics): SparseTaskMetrics {
  return {
    submitted: () => metrics.addMetric(SparseTaskMetric.tasksSubmitted, MetricUnit.Count, 1),
    finished: (status, latencyMs) => {
      metrics.addMetric(BY_STATUS[status], MetricUnit.Count, 1);
      metrics.addMetric(SparseTaskMetric.completionLatency, MetricUnit.Milliseconds, latencyMs);
    },
    lost: (kind) => metrics.addMetric(BY_LOSER[kind], MetricUnit.Count, 1),
  };
}
