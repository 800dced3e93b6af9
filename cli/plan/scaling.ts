/**
 * The Lambda SQS event source mapping's scaling, as published by AWS (Lambda developer guide,
 * "Configuring scaling behavior for SQS event source mappings"; provisioned mode launch post):
 *
 * - standard mode: five concurrent batches when messages appear, then up to 300 more
 *   concurrent invocations per minute while messages remain, up to 1,250; `MaximumConcurrency`
 *   (2–1,000) caps it lower;
 * - provisioned mode: `MinimumPollers` (2–200) are always running, each event poller drives up
 *   to 10 concurrent invocations, scaling adds up to 1,000 concurrent invocations per minute, up
 *   to `MaximumPollers` (2–2,000 in CloudFormation) × 10; not combinable with `MaximumConcurrency`;
 * - `fixed`: a constant pool of workers, the seed's orchestrator-run work queue.
 *
 * Every mode is also capped by the function's reserved (or the account's unreserved) concurrency.
 */

/** Published scaling figures of the SQS event source mapping. */
export const SqsMappingScaling = {
  /** Concurrent batches when messages first appear (standard mode). */
  initialConcurrency: 5,
  /** Concurrent invocations added per minute while messages remain (standard mode). */
  standardRampPerMinute: 300,
  /** Most concurrent invocations of one standard-mode mapping. */
  standardMaxConcurrency: 1250,
  /** `MaximumConcurrency` range. */
  maxConcurrencySetting: { min: 2, max: 1000 },
  /** Concurrent invocations added per minute (provisioned mode). */
  provisionedRampPerMinute: 1000,
  /** Concurrent invocations one event poller drives (provisioned mode). */
  invocationsPerPoller: 10,
  /** `MinimumPollers` range for SQS. */
  minimumPollers: { min: 2, max: 200 },
  /** `MaximumPollers` range (CloudFormation). */
  maximumPollers: { min: 2, max: 2000 },
  /** Default regional account concurrency. */
  defaultAccountConcurrency: 1000,
} as const;

/** How the workers scale. */
export type Scaling =
  /** A constant pool of `parallelism` workers (the seed's model). */
  | { readonly mode: 'fixed'; readonly parallelism: number }
  /** Lambda standard mode, optionally capped by `MaximumConcurrency`. */
  | { readonly mode: 'standard'; readonly maxConcurrency?: number; readonly functionConcurrency?: number }
  /** Lambda provisioned mode. */
  | { readonly mode: 'provisioned'; readonly minimumPollers: number; readonly maximumPollers: number; readonly functionConcurrency?: number };

/** Concurrency a mode starts with and can never exceed, and how fast it grows in between. */
export interface ScalingEnvelope {
  /** Concurrent invocations (workers) at t = 0. */
  readonly initial: number;
  /** The most it can reach. */
  readonly ceiling: number;
  /** Added per second while a backlog remains. */
  readonly rampPerSecond: number;
}

/** The envelope of a {@link Scaling}. */
export function scalingEnvelope(scaling: Scaling): ScalingEnvelope {
  const s = SqsMappingScaling;
  if (scaling.mode === 'fixed') return { initial: scaling.parallelism, ceiling: scaling.parallelism, rampPerSecond: 0 };
  const functionCap = scaling.functionConcurrency ?? s.defaultAccountConcurrency;
  if (scaling.mode === 'standard') {
    const ceiling = Math.min(scaling.maxConcurrency ?? s.standardMaxConcurrency, s.standardMaxConcurrency, functionCap);
    return { initial: Math.min(s.initialConcurrency, ceiling), ceiling, rampPerSecond: s.standardRampPerMinute / 60 };
  }
  const ceiling = Math.min(scaling.maximumPollers * s.invocationsPerPoller, functionCap);
  return { initial: Math.min(scaling.minimumPollers * s.invocationsPerPoller, ceiling), ceiling, rampPerSecond: s.provisionedRampPerMinute / 60 };
}

/** Every way `scaling` breaks the published ranges, one line each. */
export function scalingViolations(scaling: Scaling): string[] {
  const s = SqsMappingScaling;
  const out: string[] = [];
  const check = (name: string, value: number | undefined, min: number, max: number): void => {
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) out.push(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  };
  if (scaling.mode === 'fixed') check('parallelism', scaling.parallelism, 1, 1_000_000);
  if (scaling.mode === 'standard') check('maxConcurrency', scaling.maxConcurrency, s.maxConcurrencySetting.min, s.maxConcurrencySetting.max);
  if (scaling.mode === 'provisioned') {
    check('minimumPollers', scaling.minimumPollers, s.minimumPollers.min, s.minimumPollers.max);
    check('maximumPollers', scaling.maximumPollers, s.maximumPollers.min, s.maximumPollers.max);
    if (scaling.maximumPollers < scaling.minimumPollers) out.push(`maximumPollers (${scaling.maximumPollers}) must be ≥ minimumPollers (${scaling.minimumPollers})`);
  }
  if (scaling.mode !== 'fixed') check('functionConcurrency', scaling.functionConcurrency, 1, 1_000_000);
  return out;
}
