/**
 * The external status API both pollers of the rolling-poller bench ask: a job is done once the
 * clock (the runtime's, which the functions' `Date` follows) reaches its `doneAt`. Each call
 * writes one line to stdout, `bench-status-call items=<n>`, which the bench counts from the
 * functions' logs: a status call is not an AWS request, so the gateway does not see it.
 */

/** The data a watched job carries: when the external system finishes it (epoch ms, runtime clock). */
export interface JobData {
  readonly doneAt: number;
}

/** The line each status call writes. */
export const STATUS_CALL_LINE = /^bench-status-call items=(\d+)$/;

/** One status call for `jobs`: whether each is done now. */
export function checkJobs(jobs: readonly { readonly id: string; readonly data?: unknown }[]): { id: string; done: boolean }[] {
  process.stdout.write(`bench-status-call items=${jobs.length}\n`);
  const now = Date.now();
  return jobs.map((job) => ({ id: job.id, done: now >= ((job.data as JobData | undefined)?.doneAt ?? 0) }));
}
