/**
 * Counts every AWS request that reaches the gateway, per caller, service and operation.
 *
 * `requests` are the calls AWS would bill (including failed ones it answers); requests the
 * local runtime refused before serving (IAM denials, injected throttling) are counted apart,
 * and so are empty receives, which an idle poller makes whatever the load. With
 * {@link RequestCounter.trackInvocations} it lists Lambda invocations as well.
 */

import { INVOCATION_OPERATION, INVOCATION_SERVICE } from './billing';

/** How a request ended, for the counter. */
export type RequestOutcome = 'served' | 'denied' | 'throttled';

/** One row of the counts. */
export interface RequestCountRow {
  /** Who called: a function name, `driver`, `poller`, or `external`. */
  readonly principal: string;
  readonly service: string;
  readonly operation: string;
  /** Requests served (billable), empty receives included. */
  readonly requests: number;
  /** ReceiveMessage calls that returned no message (a subset of `requests`). */
  readonly emptyReceives: number;
  /** Requests refused by IAM. */
  readonly denied: number;
  /** Requests answered with an injected throttling error. */
  readonly throttled: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Invocations started so far, per function name (a running total that only grows). */
export type InvocationSource = () => Iterable<readonly [string, number]>;

/** The gateway's request tally. */
export class RequestCounter {
  private readonly rows = new Map<string, Mutable<RequestCountRow>>();
  private invocations: InvocationSource = () => [];
  private invocationBaseline = new Map<string, number>();

  /**
   * Counts Lambda invocations too: each function's invocations since the last reset appear as
   * a row `{ principal: <function>, service: 'lambda', operation: 'Invocation' }` (see
   * `billing.ts`: Lambda bills every invocation, whoever triggered it).
   */
  public trackInvocations(source: InvocationSource): void {
    this.invocations = source;
    this.invocationBaseline = new Map(source());
  }

  /**
   * Records one request.
   *
   * @param principal the caller
   * @param service the service signing name
   * @param operation the operation
   * @param outcome how it ended
   * @param emptyReceive whether it was a ReceiveMessage that returned nothing
   */
  public record(principal: string, service: string, operation: string, outcome: RequestOutcome, emptyReceive = false): void {
    const key = `${principal}\u0000${service}\u0000${operation}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { principal, service, operation, requests: 0, emptyReceives: 0, denied: 0, throttled: 0 };
      this.rows.set(key, row);
    }
    if (outcome === 'served') row.requests++;
    if (outcome === 'denied') row.denied++;
    if (outcome === 'throttled') row.throttled++;
    if (emptyReceive) row.emptyReceives++;
  }

  /** A copy of every row, sorted by principal, service, operation. */
  public rowsSnapshot(): RequestCountRow[] {
    const invoked: RequestCountRow[] = [];
    for (const [fn, total] of this.invocations()) {
      const n = total - (this.invocationBaseline.get(fn) ?? 0);
      if (n > 0) invoked.push({ principal: fn, service: INVOCATION_SERVICE, operation: INVOCATION_OPERATION, requests: n, emptyReceives: 0, denied: 0, throttled: 0 });
    }
    return [...[...this.rows.values()].map((r) => ({ ...r })), ...invoked]
      .sort((a, b) => a.principal.localeCompare(b.principal) || a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation));
  }

  /** Forgets every count (e.g. after provisioning, before a measured run). */
  public reset(): void {
    this.rows.clear();
    this.invocationBaseline = new Map(this.invocations());
  }
}
