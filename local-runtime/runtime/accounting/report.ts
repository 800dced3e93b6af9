/**
 * The accounting of a local run: items in, done, in dead-letter queues, lost, and what the
 * AWS requests cost per item, per service and per caller/operation.
 */
import type { FaultStats } from '../faults/fault-injector';
import { neverSucceeded, type InvocationOutcomes } from '../lambda/invocation-stats';
import { tallyByService } from './billing';
import type { RequestCountRow } from './request-counter';

/** What the report is computed from. */
export interface AccountingInput {
  /** Items sent in. */
  readonly itemsIn: number;
  /** Items done, as the caller defines done (rows in a table, messages in a sink…). */
  readonly done: number;
  /** Distinct items held by dead-letter queues. */
  readonly deadLettered: number;
  /** The gateway's request counts and the invocation rows (see `billing.ts`). */
  readonly rows: readonly RequestCountRow[];
  readonly faults: FaultStats;
  /** Wall time of the run, in milliseconds. */
  readonly elapsedMs: number;
  /** Each function's invocation outcomes. @default - none */
  readonly functions?: readonly InvocationOutcomes[];
}

/** Requests of one service. */
export interface ServiceLine {
  readonly service: string;
  /** Billable requests, empty receives excluded. */
  readonly requests: number;
  readonly perItem: number;
  readonly emptyReceives: number;
  readonly denied: number;
  readonly throttled: number;
}

/** The accounting of a run. */
export interface AccountingReport {
  readonly itemsIn: number;
  readonly done: number;
  readonly deadLettered: number;
  /** `in − done − deadLettered`: items neither done nor parked (negative means double counting). */
  readonly lost: number;
  /** Billable requests as `billing.ts` defines them (invocations included, empty receives excluded). */
  readonly requests: number;
  readonly requestsPerItem: number;
  readonly emptyReceives: number;
  readonly itemsPerSecond: number;
  readonly services: readonly ServiceLine[];
  readonly rows: readonly RequestCountRow[];
  readonly faults: FaultStats;
  /** Each function's invocation outcomes. */
  readonly functions: readonly InvocationOutcomes[];
  /** Function errors (init errors included, injected faults not), over all functions. */
  readonly functionErrors: number;
  /** Init errors over all functions. */
  readonly initErrors: number;
  /** Functions invoked that never once succeeded: the run failed whatever the counts say. */
  readonly failedFunctions: readonly string[];
}

/** Computes the report. */
export function buildReport(input: AccountingInput): AccountingReport {
  const perItem = (n: number) => (input.itemsIn > 0 ? n / input.itemsIn : 0);
  const byService = tallyByService(input.rows);
  const services = [...byService.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([service, l]) => ({ service, ...l, perItem: perItem(l.requests) }));
  const requests = services.reduce((sum, s) => sum + s.requests, 0);
  return {
    itemsIn: input.itemsIn,
    done: input.done,
    deadLettered: input.deadLettered,
    lost: input.itemsIn - input.done - input.deadLettered,
    requests,
    requestsPerItem: perItem(requests),
    emptyReceives: services.reduce((sum, s) => sum + s.emptyReceives, 0),
    itemsPerSecond: input.elapsedMs > 0 ? (input.done + input.deadLettered) / (input.elapsedMs / 1000) : 0,
    services,
    rows: input.rows,
    faults: input.faults,
    functions: input.functions ?? [],
    functionErrors: (input.functions ?? []).reduce((sum, f) => sum + f.errors, 0),
    initErrors: (input.functions ?? []).reduce((sum, f) => sum + f.initErrors, 0),
    failedFunctions: (input.functions ?? []).filter(neverSucceeded).map((f) => f.functionName),
  };
}

/**
 * The one-line summary: `summary: in=N done=N dlq=N lost=N requests/item=X`, followed by
 * ` errors=N init-errors=N` when a function failed (injected faults are not its errors).
 */
export function summaryLine(report: AccountingReport): string {
  const errors = report.functionErrors > 0 ? ` errors=${report.functionErrors} init-errors=${report.initErrors}` : '';
  return `summary: in=${report.itemsIn} done=${report.done} dlq=${report.deadLettered} lost=${report.lost} requests/item=${report.requestsPerItem.toFixed(3)}${errors}`;
}

/**
 * One line per function that failed: its counts and its first message (the init failure's
 * when it has one, since that is what every later failure repeats). Empty when none failed.
 */
export function functionErrorLines(report: AccountingReport): string[] {
  return report.functions.filter((f) => f.errors > 0).map((f) => {
    const never = neverSucceeded(f) ? ' NEVER SUCCEEDED' : '';
    return `function ${f.functionName}: invocations=${f.invocations} succeeded=${f.succeeded} errors=${f.errors} init-errors=${f.initErrors}${never}; first: ${f.firstInitError ?? f.firstError}`;
  });
}

/** Whether a run passed: nothing lost, no time-out, and every invoked function succeeded at least once. */
export function runPassed(report: AccountingReport, timedOut: boolean): boolean {
  return report.lost === 0 && !timedOut && report.failedFunctions.length === 0;
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

/** The per-service table. */
export function serviceTable(report: AccountingReport): string {
  const rows = report.services.map((s) => [s.service, s.requests, s.perItem.toFixed(3), s.emptyReceives, s.denied, s.throttled]);
  return table(['service', 'requests', 'per item', 'empty receives', 'denied', 'throttled'], rows);
}

/** The per-caller, per-operation table. */
export function operationTable(report: AccountingReport): string {
  const rows = report.rows.map((r) => [r.principal, `${r.service}:${r.operation}`, r.requests, r.emptyReceives, r.denied, r.throttled]);
  return table(['caller', 'operation', 'requests', 'empty receives', 'denied', 'throttled'], rows);
}
