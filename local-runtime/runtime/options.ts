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
   * Factor applied to SQS timers (VisibilityTimeout, DelaySeconds, MessageRetentionPeriod),
   * e.g. 0.01 turns a 180 s visibility timeout into 2 s so retries happen within a test.
   * Non-zero values stay at least 1 s. Batching windows and function timeouts are not scaled.
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
   * The clock schedules, rules and TTL sweeps run on (SQS timers always run on wall time).
   * @default - a wall clock
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
  if (!(Number.isInteger(maxWorkersPerFunction) && maxWorkersPerFunction >= 1 && maxWorkersPerFunction <= 64)) {
    violations.push(`maxWorkersPerFunction must be an integer in [1, 64], got ${maxWorkersPerFunction}`);
  }
  if (!(ttlSweepIntervalMs >= 1000)) violations.push(`ttlSweepIntervalMs must be at least 1000, got ${ttlSweepIntervalMs}`);
  if (!options.assemblyDir) violations.push('assemblyDir is required');
  if (violations.length > 0) throw new RuntimeConfigError(violations);
}
