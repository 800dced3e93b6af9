/**
 * `pp plan`'s queue model: a fluid simulation of one work queue fed at a steady arrival rate
 * plus a burst at t = 0, drained by workers that scale as {@link Scaling} says.
 *
 * Per step of `dt` seconds with `c` concurrent invocations (constant within the step):
 *   capacity μ = c × itemConcurrency / itemSeconds  (items per second)
 *   backlog' = max(0, backlog + λ·dt − μ·dt)
 * and `c` grows by the mode's ramp while a backlog remains, up to its ceiling. The backlog is
 * every item not yet finished (visible or in flight). The drain time is interpolated inside
 * the step the backlog empties in, so it is exact while the capacity is constant:
 * `burst / (μ − λ)` for a fixed pool. Stability holds when
 * `itemSeconds / parallelism < 1 / λ` at the ceiling.
 */
import { assessStability, type StabilityAssessment } from '../../infra/private/stability';
import { scalingEnvelope, scalingViolations, type Scaling, type ScalingEnvelope } from './scaling';

/** What `pp plan` is asked about. */
export interface PlanInput {
  /** Items arriving per second, steadily (≥ 0). */
  readonly arrivalRate: number;
  /** Items already waiting at t = 0 (≥ 0). @default 0 */
  readonly burst?: number;
  /** Seconds one item takes (> 0). */
  readonly itemSeconds: number;
  /** Items one invocation works on at once (≥ 1). @default 1 */
  readonly itemConcurrency?: number;
  /** How the workers scale. */
  readonly scaling: Scaling;
  /** Seconds shown in the table and chart. @default - 1.25 × the drain time (at least 60 s), or 1 hour */
  readonly horizonSeconds?: number;
  /** Longest time simulated while looking for the drain time, in seconds. @default 604800 (7 days) */
  readonly searchSeconds?: number;
}

/** The queue at one instant. */
export interface PlanPoint {
  /** Seconds since t = 0. */
  readonly t: number;
  /** Items not yet finished. */
  readonly backlog: number;
  /** Concurrent invocations (workers) available. */
  readonly concurrency: number;
}

/** Whether the queue keeps up at its ceiling (the work-queue stability rule). */
export type Verdict = 'drains' | 'balanced' | 'grows';

/** The model's answer. */
export interface Plan {
  /** The stability rule at the mode's ceiling. */
  readonly stability: StabilityAssessment;
  /** `drains`: below the interarrival time; `balanced`: equal, a backlog never shrinks; `grows`: loses ground. */
  readonly verdict: Verdict;
  /** The mode's concurrency envelope. */
  readonly envelope: ScalingEnvelope;
  /** Seconds until the backlog is empty, or undefined if it never empties within `searchSeconds`. */
  readonly drainSeconds: number | undefined;
  /** Largest backlog seen (items). */
  readonly peakBacklog: number;
  /** Seconds shown. */
  readonly horizonSeconds: number;
  /** Backlog samples from 0 to the horizon (101 points). */
  readonly points: readonly PlanPoint[];
}

const SAMPLES = 100;

/** Runs the model. @throws RangeError naming every bad input */
export function plan(input: PlanInput): Plan {
  const violations = inputViolations(input);
  if (violations.length > 0) throw new RangeError(`pp plan: ${violations.join('; ')}`);
  const itemConcurrency = input.itemConcurrency ?? 1;
  const envelope = scalingEnvelope(input.scaling);
  const stability = assessStability({ arrivalRate: Math.max(input.arrivalRate, Number.MIN_VALUE), processingSeconds: input.itemSeconds, maxConcurrency: envelope.ceiling, itemConcurrency });
  const demand = input.arrivalRate * input.itemSeconds;
  // A relative tolerance: 1/60 items/s × 60 s is one worker, whatever the floating point says.
  const gap = (stability.parallelism - demand) / stability.parallelism;
  const verdict: Verdict = Math.abs(gap) < 1e-9 ? 'balanced' : gap > 0 ? 'drains' : 'grows';
  const sim = new Simulation(input, envelope, itemConcurrency);
  const search = input.searchSeconds ?? 604_800;
  // A queue that loses ground never drains, even when it starts empty.
  const drainSeconds = verdict === 'grows' ? undefined : sim.runUntilDrained(search);
  const horizonSeconds = input.horizonSeconds ?? (drainSeconds === undefined ? 3600 : Math.max(60, Math.ceil(drainSeconds * 1.25)));
  const points = sample(input, envelope, itemConcurrency, horizonSeconds);
  return { stability, verdict, envelope, drainSeconds, peakBacklog: Math.max(sim.peak, ...points.map((p) => p.backlog)), horizonSeconds, points };
}

/** The fluid queue, stepped forward in time. */
class Simulation {
  t = 0;
  backlog: number;
  concurrency: number;
  peak: number;

  constructor(private readonly input: PlanInput, private readonly envelope: ScalingEnvelope, private readonly itemConcurrency: number) {
    this.backlog = input.burst ?? 0;
    this.peak = this.backlog;
    this.concurrency = envelope.initial;
  }

  /** Advances by `dt`; returns the instant within the step the backlog emptied at, if it did. */
  step(dt: number): number | undefined {
    const capacity = (this.concurrency * this.itemConcurrency) / this.input.itemSeconds;
    const net = this.input.arrivalRate - capacity;
    const before = this.backlog;
    this.backlog = Math.max(0, before + net * dt);
    this.peak = Math.max(this.peak, this.backlog);
    const start = this.t;
    this.t += dt;
    if (this.backlog > 0) this.concurrency = Math.min(this.envelope.ceiling, this.concurrency + this.envelope.rampPerSecond * dt);
    return before > 0 && this.backlog === 0 ? start + before / -net : undefined;
  }

  /** Steps until the backlog is empty; undefined if it is still there after `limit` seconds. */
  runUntilDrained(limit: number): number | undefined {
    if (this.backlog === 0) return 0;
    const dt = stepFor(limit);
    while (this.t < limit) {
      const drained = this.step(Math.min(dt, limit - this.t));
      if (drained !== undefined) return drained;
    }
    return undefined;
  }
}

/** One-second steps, coarser only for very long searches (the ramp lasts minutes at most). */
function stepFor(limit: number): number {
  return Math.max(1, limit / 1_000_000);
}

function sample(input: PlanInput, envelope: ScalingEnvelope, itemConcurrency: number, horizon: number): PlanPoint[] {
  const sim = new Simulation(input, envelope, itemConcurrency);
  const every = horizon / SAMPLES;
  const dt = Math.min(1, every);
  const points: PlanPoint[] = [{ t: 0, backlog: sim.backlog, concurrency: sim.concurrency }];
  for (let i = 1; i <= SAMPLES; i++) {
    const until = i * every;
    while (until - sim.t > 1e-9) sim.step(Math.min(dt, until - sim.t));
    points.push({ t: until, backlog: sim.backlog, concurrency: sim.concurrency });
  }
  return points;
}

function inputViolations(input: PlanInput): string[] {
  const out = scalingViolations(input.scaling);
  if (!(input.arrivalRate >= 0 && Number.isFinite(input.arrivalRate))) out.push(`arrivalRate must be ≥ 0 items/s, got ${input.arrivalRate}`);
  if (!(input.itemSeconds > 0 && Number.isFinite(input.itemSeconds))) out.push(`itemSeconds must be > 0, got ${input.itemSeconds}`);
  if (input.burst !== undefined && !(input.burst >= 0 && Number.isFinite(input.burst))) out.push(`burst must be ≥ 0 items, got ${input.burst}`);
  const ic = input.itemConcurrency;
  if (ic !== undefined && !(Number.isInteger(ic) && ic >= 1)) out.push(`itemConcurrency must be an integer ≥ 1, got ${ic}`);
  if (input.horizonSeconds !== undefined && !(input.horizonSeconds > 0)) out.push(`horizonSeconds must be > 0, got ${input.horizonSeconds}`);
  return out;
}
