/**
 * Fault injection for local runs: invocations that crash before the handler runs, SQS
 * messages delivered twice (replayed after they settled, or two copies in flight at once), and
 * throttling answers from the gateway.
 *
 * Every decision is a hash of the seed and what it is about (see `random.ts`), so a seed
 * replays the same faults for the same invocation numbers and message bodies.
 */
import { RuntimeConfigError } from '../errors';
import { hashUnit } from '../random';

/** Fault injection settings. Rates are fractions in [0, 1]. */
export interface FaultOptions {
  /**
   * Seed of every fault decision.
   * @default 'pp-local'
   */
  readonly seed?: string;
  /**
   * Fraction of Lambda invocations that fail before the handler runs (the whole batch fails),
   * for every function or per function name.
   * @default 0
   */
  readonly invocationErrorRate?: number | Readonly<Record<string, number>>;
  /**
   * Fraction of SQS messages an event source mapping delivers a second time.
   * @default 0
   */
  readonly duplicateDeliveryRate?: number;
  /**
   * Share of those duplicates that are concurrent copies: the message's visibility expires
   * while its batch is still being processed, so another poller receives it and both copies
   * are in flight at once (the original's delete then fails on its stale receipt handle). The
   * rest are replayed after the original settled.
   * @default 0
   */
  readonly concurrentDuplicateShare?: number;
  /**
   * Fraction of a function's AWS requests the gateway answers with the service's throttling
   * error, for every service or per service signing name (`sqs`, `dynamodb`, …).
   * @default 0
   */
  readonly throttleRate?: number | Readonly<Record<string, number>>;
  /**
   * Throttling in bursts besides the rate: of every `everyRequests` requests a caller makes to a
   * service, the first `burstRequests` are throttled (a quota hit, then a quiet stretch).
   * @default - no bursts
   */
  readonly throttleBursts?: { readonly everyRequests: number; readonly burstRequests: number };
}

/** What the injector did. */
export interface FaultStats {
  readonly invocationsFailed: number;
  /** Duplicates of either kind. */
  readonly duplicatesDelivered: number;
  /** Of those, copies made visible again while their batch was in flight. */
  readonly concurrentDuplicates?: number;
  readonly requestsThrottled: number;
  /** Invocations whose execution environment was killed mid-run ({@link FaultInjector.scheduleCrash}). */
  readonly invocationsCrashed?: number;
}

/** How a message is duplicated, if at all. */
export type DuplicateKind = 'none' | 'replay' | 'concurrent';

/** The error an injected invocation failure throws. */
export const INJECTED_FAULT_TYPE = 'InjectedFault';

function checkRates(name: string, value: number | Readonly<Record<string, number>> | undefined, out: string[]): void {
  const entries = typeof value === 'object' ? Object.entries(value) : [['', value] as const];
  for (const [key, rate] of entries) {
    if (rate === undefined) continue;
    if (!(typeof rate === 'number' && rate >= 0 && rate <= 1)) out.push(`${name}${key ? `.${key}` : ''} must be in [0, 1], got ${String(rate)}`);
  }
}

/** Decides, deterministically, where faults strike. */
export class FaultInjector {
  private readonly seed: string;
  private failed = 0;
  private duplicated = 0;
  private concurrent = 0;
  private throttled = 0;
  private crashed = 0;
  private readonly crashes = new Set<string>();

  /**
   * @param options the fault rates and seed
   * @throws RuntimeConfigError listing every rate outside [0, 1]
   */
  constructor(private readonly options: FaultOptions = {}) {
    const violations: string[] = [];
    checkRates('invocationErrorRate', options.invocationErrorRate, violations);
    checkRates('duplicateDeliveryRate', options.duplicateDeliveryRate, violations);
    checkRates('concurrentDuplicateShare', options.concurrentDuplicateShare, violations);
    checkRates('throttleRate', options.throttleRate, violations);
    const bursts = options.throttleBursts;
    if (bursts && !(Number.isInteger(bursts.everyRequests) && Number.isInteger(bursts.burstRequests) && bursts.burstRequests >= 0 && bursts.burstRequests < bursts.everyRequests)) {
      violations.push(`throttleBursts must be integers with 0 <= burstRequests < everyRequests, got ${JSON.stringify(bursts)}`);
    }
    if (violations.length > 0) throw new RuntimeConfigError(violations);
    this.seed = options.seed ?? 'pp-local';
  }

  /** Whether invocation number `n` of a function fails before its handler runs. */
  public failInvocation(functionName: string, n: number): boolean {
    const rate = this.rateOf(this.options.invocationErrorRate, functionName);
    const hit = rate > 0 && hashUnit(this.seed, 'invoke', functionName, n) < rate;
    if (hit) this.failed++;
    return hit;
  }

  /** Whether a message (identified by its body and receive count) is delivered twice, replayed after it settled. */
  public duplicate(body: string, receiveCount: number): boolean {
    return this.duplicateKind(body, receiveCount) === 'replay';
  }

  /**
   * Whether a message (identified by its body and receive count) is delivered twice, and how:
   * a concurrent copy (decided before its batch is invoked) or a replay after it settled. Call
   * once per received message: each hit is counted.
   */
  public duplicateKind(body: string, receiveCount: number): DuplicateKind {
    const rate = this.options.duplicateDeliveryRate ?? 0;
    const u = rate > 0 ? hashUnit(this.seed, 'duplicate', body, receiveCount) : 1;
    if (u >= rate) return 'none';
    this.duplicated++;
    if (u < rate * (this.options.concurrentDuplicateShare ?? 0)) {
      this.concurrent++;
      return 'concurrent';
    }
    return 'replay';
  }

  /** Whether request number `n` of a caller to a service is throttled. */
  public throttle(service: string, principal: string, n: number): boolean {
    const rate = this.rateOf(this.options.throttleRate, service);
    const bursts = this.options.throttleBursts;
    const inBurst = bursts !== undefined && (n - 1) % bursts.everyRequests < bursts.burstRequests;
    const hit = inBurst || (rate > 0 && hashUnit(this.seed, 'throttle', service, principal, n) < rate);
    if (hit) this.throttled++;
    return hit;
  }

  /**
   * Kills the execution environment running invocation `n` of a function while its handler
   * runs: whatever the handler did before stays done, the invocation fails (`Runtime.ExitError`).
   */
  public scheduleCrash(functionName: string, n: number): void {
    this.crashes.add(`${functionName}\u0000${n}`);
  }

  /** Whether invocation `n` of a function is to crash mid-run (see {@link scheduleCrash}). */
  public crashInvocation(functionName: string, n: number): boolean {
    const hit = this.crashes.delete(`${functionName}\u0000${n}`);
    if (hit) this.crashed++;
    return hit;
  }

  /** Counts of the faults injected so far. */
  public stats(): FaultStats {
    return { invocationsFailed: this.failed, duplicatesDelivered: this.duplicated, concurrentDuplicates: this.concurrent, requestsThrottled: this.throttled, invocationsCrashed: this.crashed };
  }

  private rateOf(value: number | Readonly<Record<string, number>> | undefined, key: string): number {
    if (value === undefined) return 0;
    return typeof value === 'number' ? value : (value[key] ?? 0);
  }
}
