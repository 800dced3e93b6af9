/**
 * The one definition of billable requests, used by `npm start`, every bench and the
 * end-to-end floors.
 *
 * requests = Lambda invocations + SQS requests + DynamoDB requests (+ any other service's
 * requests), each counted as AWS bills it:
 *
 * - **Lambda**: one per invocation, whoever triggered it (an event source mapping, a schedule,
 *   a state machine, an `Invoke` call). A function's `Invoke` call through the gateway *is*
 *   that invocation, so the gateway's `lambda:Invoke` rows are listed but not added again.
 * - **SQS**: every served request, the producer's sends and the mappings' receives and
 *   deletes included. Empty receives are billed too, but they track idle time, not items, so
 *   they are shown apart and left out of requests per item.
 * - **DynamoDB** and the rest: every served request.
 *
 * Requests refused before serving (IAM denials, injected throttling) are not billed and are
 * shown apart.
 */
import type { RequestCountRow } from './request-counter';

/** The service name invocations are counted under. */
export const INVOCATION_SERVICE = 'lambda';
/** The operation of the rows that count invocations (one row per invoked function). */
export const INVOCATION_OPERATION = 'Invocation';

/** One line of the definition, for bench output and docs. */
export const REQUESTS_DEFINITION =
  'requests = Lambda invocations + SQS requests (sends, mapping receives and deletes) + DynamoDB requests; empty receives shown apart';

/** Requests of one service, by the definition above. */
export interface ServiceTally {
  /** Billable requests, empty receives excluded. */
  requests: number;
  emptyReceives: number;
  denied: number;
  throttled: number;
}

/** Whether a row's served requests are billed on their own (not an `Invoke` call already counted as its invocation). */
export function isBilledSeparately(row: RequestCountRow): boolean {
  return !(row.service === INVOCATION_SERVICE && row.operation === 'Invoke');
}

/** Tallies rows per service, by the definition above. */
export function tallyByService(rows: readonly RequestCountRow[]): Map<string, ServiceTally> {
  const byService = new Map<string, ServiceTally>();
  for (const row of rows) {
    const line = byService.get(row.service) ?? { requests: 0, emptyReceives: 0, denied: 0, throttled: 0 };
    if (isBilledSeparately(row)) line.requests += row.requests - row.emptyReceives;
    line.emptyReceives += row.emptyReceives;
    line.denied += row.denied;
    line.throttled += row.throttled;
    byService.set(row.service, line);
  }
  return byService;
}

/** Billable requests of every row, by the definition above. */
export function billableRequests(rows: readonly RequestCountRow[]): number {
  return [...tallyByService(rows).values()].reduce((sum, s) => sum + s.requests, 0);
}
