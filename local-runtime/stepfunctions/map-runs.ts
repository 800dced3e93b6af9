/**
 * Map Runs of Distributed Map states, as DescribeMapRun and ListMapRuns report them: item and
 * child-execution counts that move while the run goes on (the progress AWS shows).
 */
import { AwsServiceError } from '../scheduling/errors';
import { epochSeconds } from '../scheduling/protocol';

/** Counts of items or of child executions, as DescribeMapRun names them. */
export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
  failuresNotRedrivable: number;
  pendingRedrive: number;
}

/** One Map Run. */
export interface MapRunRecord {
  readonly mapRunArn: string;
  readonly executionArn: string;
  readonly stateMachineArn: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  readonly startDate: number;
  stopDate?: number;
  readonly maxConcurrency: number;
  readonly toleratedFailurePercentage: number;
  readonly toleratedFailureCount: number;
  readonly itemCounts: MapRunCounts;
  readonly executionCounts: MapRunCounts;
}

/** Zeroed counts with `total` set and everything pending. */
export function pendingCounts(total: number): MapRunCounts {
  return { pending: total, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 };
}

/** Every Map Run of one local Step Functions service. */
export class MapRuns {
  private readonly runs = new Map<string, MapRunRecord>();

  /** Adds a run. */
  public add(run: MapRunRecord): void {
    this.runs.set(run.mapRunArn, run);
  }

  /** DescribeMapRun. */
  public describe(mapRunArn: string): MapRunRecord {
    const run = this.runs.get(mapRunArn);
    if (!run) throw new AwsServiceError('ResourceNotFound', 400, `Map Run Does Not Exist: '${mapRunArn}'`);
    return structuredClone(run);
  }

  /** The runs started by one execution, oldest first. */
  public ofExecution(executionArn: string): MapRunRecord[] {
    return [...this.runs.values()].filter((r) => r.executionArn === executionArn).map((r) => structuredClone(r));
  }
}

/** DescribeMapRun / ListMapRuns over the JSON 1.0 protocol. */
export function mapRunOperations(runs: MapRuns): Record<string, (input: Record<string, unknown>) => unknown> {
  return {
    DescribeMapRun: (i) => {
      const r = runs.describe(String(i.mapRunArn));
      return { ...r, startDate: epochSeconds(r.startDate), stopDate: r.stopDate === undefined ? undefined : epochSeconds(r.stopDate) };
    },
    ListMapRuns: (i) => ({
      mapRuns: runs.ofExecution(String(i.executionArn)).map((r) => ({ executionArn: r.executionArn, mapRunArn: r.mapRunArn, stateMachineArn: r.stateMachineArn, startDate: epochSeconds(r.startDate), stopDate: r.stopDate === undefined ? undefined : epochSeconds(r.stopDate) })),
    }),
  };
}
