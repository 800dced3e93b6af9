/**
 * The work-queue stability rule, as pure arithmetic the constructs turn into
 * synth-time warnings.
 *
 * A queue keeps up when the effective time per item — per-item processing time divided by the
 * parallelism — is below the interarrival time. At equality it is balanced but has no slack to
 * drain a backlog; above it the backlog grows without bound. Equivalently: it is stable when
 * `processingSeconds × arrivalRate < parallelism`, the form used here because it needs no
 * division.
 */

/** Inputs of {@link assessStability}. */
export interface StabilityInput {
  /** Items arriving per second (> 0). */
  readonly arrivalRate: number;
  /** Seconds one item takes to process (> 0). */
  readonly processingSeconds: number;
  /** Invocations that may run at once (the mapping's maximum concurrency, ≥ 1). */
  readonly maxConcurrency: number;
  /** Items one invocation works on at once (≥ 1). */
  readonly itemConcurrency: number;
}

/** The verdict of {@link assessStability}. */
export interface StabilityAssessment {
  /** True when the queue drains faster than items arrive. */
  readonly stable: boolean;
  /** `maxConcurrency × itemConcurrency`: items in flight at once. */
  readonly parallelism: number;
  /** Seconds between two arrivals: `1 / arrivalRate`. */
  readonly interarrivalSeconds: number;
  /** `processingSeconds / parallelism`: the time the whole fleet spends per item. */
  readonly effectiveSecondsPerItem: number;
  /** Items per second the fleet can finish: `parallelism / processingSeconds`. */
  readonly capacityPerSecond: number;
  /** The smallest `maxConcurrency` that is stable with the given `itemConcurrency`. */
  readonly requiredMaxConcurrency: number;
}

/**
 * Applies the stability rule. Pure: the same input always gives the same verdict.
 *
 * @param input rates and concurrency, see {@link StabilityInput}
 */
export function assessStability(input: StabilityInput): StabilityAssessment {
  const parallelism = input.maxConcurrency * input.itemConcurrency;
  const demand = input.processingSeconds * input.arrivalRate;
  return {
    stable: demand < parallelism,
    parallelism,
    interarrivalSeconds: 1 / input.arrivalRate,
    effectiveSecondsPerItem: input.processingSeconds / parallelism,
    capacityPerSecond: parallelism / input.processingSeconds,
    // Strictly above the demand: at exact balance the backlog never drains.
    requiredMaxConcurrency: Math.floor(demand / input.itemConcurrency) + 1,
  };
}
