/** Environment variable names the sparse-task bench stack sets on its functions. */
export const SparseBenchEnv = {
  /** The queue the external system (the bench process) takes job starts from. */
  externalJobsUrl: 'BENCH_EXTERNAL_JOBS_URL',
  /** The table the external system writes a job's status to, once done (what the naive worker polls). */
  externalStatusTable: 'BENCH_EXTERNAL_STATUS_TABLE',
  /** The table the naive worker records each finished task in. */
  naiveResultsTable: 'BENCH_NAIVE_RESULTS_TABLE',
  /** How long the naive worker sleeps between two status polls, in ms. */
  naivePollMs: 'BENCH_NAIVE_POLL_MS',
} as const;

/** A job start as the external system receives it. */
export interface ExternalJob {
  readonly taskId: string;
  /** How long the job runs once the external system has it, in ms (wall time). */
  readonly latencyMs: number;
  /** `callback`: report to the SparseTask's completion queue; `status`: write the status table. */
  readonly mode: 'callback' | 'status';
  /** The SparseTask's correlation id, echoed in the completion (callback mode). */
  readonly correlationId?: string;
}
