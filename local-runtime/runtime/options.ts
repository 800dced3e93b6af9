/**
 * Options of the local runtime, validated all at once.
 */
import type { Clock } from '../scheduling/clock';
import { RuntimeConfigError } from './errors';
import type { FaultOptions } from './faults/fault-injector';

/** Options of {@link LocalRuntime.start}. */
export interface LocalRuntimeOptions {
  /** The cloud assembly directory (`cdk.out` or a synth `outdir`). */
  readonly assemblyDir: string;
  /**
   * The stack to run (stack name, artifact ID or display name).
   * @default - the assembly's only stack
   */
  readonly stackName?: string;
  /**
   * The region the run pretends to be in.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Seed of generated physical names and of fault decisions.
   * @default 'pp-local'
   */
  readonly seed?: string;
  /**
   * Wall milliseconds per millisecond of the runtime's own clock: with 0.05 the clock runs 20×
   * faster than wall time, and everything on it with it — SQS visibility timeouts, delays and
   * long polls, schedules, Wait states, TTL sweeps, the functions' `Date` — so a 180 s
   * visibility timeout passes in 9 wall seconds. Work itself is not scaled: functions run (and
   * time out) in wall time, and event source mappings gather batches in wall time. Only for the
   * runtime's own clock: with `clock`, time is that clock's.
   * @default 1
   */
  readonly timeScale?: number;
  /**
   * Most execution environments (worker threads) per function; a function's reserved
   * concurrency lowers it, and a mapping's pollers never exceed it.
   * @default 4
   */
  readonly maxWorkersPerFunction?: number;
  /**
   * Fault injection.
   * @default - no faults
   */
  readonly faults?: FaultOptions;
  /**
   * The runtime clock: SQS timers, schedules, rules, Wait states, TTL sweeps and the functions'
   * `Date` run on it. A `ManualClock` only moves when the caller advances it.
   * @default - a wall clock running at `timeScale`
   */
  readonly clock?: Clock;
  /**
   * How often expired TTL items are swept, in clock milliseconds.
   * @default 60000
   */
  readonly ttlSweepIntervalMs?: number;
  /**
   * Enforce the template's IAM policies on every function's requests.
   * @default true
   */
  readonly enforceIam?: boolean;
  /**
   * The folder whose `node_modules` provides what bundles leave external (`@aws-sdk/*`), for
   * assemblies outside the project.
   * @default process.cwd()
   */
  readonly projectRoot?: string;
  /**
   * Receives every line a function writes to stdout/stderr.
   * @default - dropped
   */
  readonly onLog?: (functionName: string, line: string) => void;
  /**
   * The gateway's port on 127.0.0.1 (`pp-local up` serves on 4566, as LocalStack does).
   * @default 0 - an ephemeral port
   */
  readonly port?: number;
}

/**
 * Checks the numeric options.
 * @throws RuntimeConfigError listing every bad value
 */
export function validateOptions(options: LocalRuntimeOptions): void {
  const violations: string[] = [];
  const { timeScale = 1, maxWorkersPerFunction = 4, ttlSweepIntervalMs = 60_000 } = options;
  if (!(timeScale > 0 && timeScale <= 1)) violations.push(`timeScale must be in (0, 1], got ${timeScale}`);
  if (options.clock && timeScale !== 1) violations.push(`timeScale applies to the runtime's own clock: with options.clock, time is that clock's (got timeScale ${timeScale})`);
  if (!(Number.isInteger(maxWorkersPerFunction) && maxWorkersPerFunction >= 1 && maxWorkersPerFunction <= 64)) {
    violations.push(`maxWorkersPerFunction must be an integer in [1, 64], got ${maxWorkersPerFunction}`);
  }
  if (!(ttlSweepIntervalMs >= 1000)) violations.push(`ttlSweepIntervalMs must be at least 1000, got ${ttlSweepIntervalMs}`);
  if (!options.assemblyDir) violations.push('assemblyDir is required');
  if (violations.length > 0) throw new RuntimeConfigError(violations);
}
