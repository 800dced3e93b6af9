/**
 * The marker's and sweeper's settings, read strictly from the environment the construct sets
 * (names in `MarkerSweeperEnv`) once per process: a missing or bad value fails the cold start
 * with one ConfigError naming every problem and quoting the value.
 */
import { MarkerSweeperEnv as E } from '../../contract';
import { EnvReader, type EnvSource } from '../env-reader';

/** Where the flag set is. */
export interface FlagTableConfig {
  /** The flag-set table name. */
  readonly tableName: string;
  /** Write shards of the pending index. */
  readonly shards: number;
  /** TTL of a flag after its last mark, in seconds. */
  readonly ttlSeconds: number;
}

/** The sweeper's settings. */
export interface SweeperConfig extends FlagTableConfig {
  /** Most flags per batch. */
  readonly batchSize: number;
  /** Most batches per invocation. */
  readonly maxBatches: number;
  /** Lease of a claimed flag, in ms. */
  readonly leaseMs: number;
  /** Delay before a failed flag is due again, in ms. */
  readonly retryDelayMs: number;
  /** Claims after which a failing flag is parked. */
  readonly maxAttempts: number;
  /** URL of the dead-letter queue spent flags are parked in. */
  readonly deadLetterQueueUrl: string;
  /** Least time between two full counts of the outstanding flags, in ms (0: every sweep). */
  readonly countIntervalMs: number;
}

const DAY_SECONDS = 86_400;

/** Reads the flag table settings. */
export function readFlagTable(reader: EnvReader): FlagTableConfig {
  return {
    tableName: reader.text(E.flagTableName),
    shards: reader.integer(E.flagShards, 1, 100),
    ttlSeconds: reader.integer(E.flagTtlSeconds, 60, 365 * DAY_SECONDS),
  };
}

/**
 * The sweeper's settings.
 *
 * @throws ConfigError naming every missing or bad variable
 */
export function readSweeperConfig(env: EnvSource): SweeperConfig {
  const reader = new EnvReader(env);
  const config: SweeperConfig = {
    ...readFlagTable(reader),
    batchSize: reader.integer(E.sweepBatchSize, 1, 1_000),
    maxBatches: reader.integer(E.sweepMaxBatches, 1, 100),
    leaseMs: reader.integer(E.leaseSeconds, 1, 12 * 3600) * 1000,
    retryDelayMs: reader.integer(E.retryDelaySeconds, 0, 12 * 3600) * 1000,
    maxAttempts: reader.integer(E.sweepMaxAttempts, 1, 100),
    deadLetterQueueUrl: reader.text(E.sweepDeadLetterQueueUrl),
    countIntervalMs: reader.integer(E.outstandingCountIntervalSeconds, 0, 3600) * 1000,
  };
  reader.check();
  return config;
}

/**
 * The marker's settings: the flag table and the key path.
 *
 * @throws ConfigError naming every missing or bad variable
 */
export function readMarkerConfig(env: EnvSource): FlagTableConfig & { readonly keyPath: string } {
  const reader = new EnvReader(env);
  const config = { ...readFlagTable(reader), keyPath: reader.text(E.keyPath) };
  reader.check();
  return config;
}
