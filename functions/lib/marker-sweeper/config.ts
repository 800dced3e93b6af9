/**
 * The marker's and sweeper's settings, read strictly from the environment the construct sets
 * (names in `MarkerSweeperEnv`) once per process: a missing or bad value fails the cold start
 * with one ConfigError naming every problem and quoting the value.
 */
import { MarkerSweeperEnv as E } from '../../contract';
import { ConfigError } from '../errors';
import { collect, intRangeViolation, quote } from '../validate';

/** An environment to read from (`process.env` in Lambda). */
export type EnvSource = Readonly<Record<string, string | undefined>>;

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
}

/** Reads settings one by one, collecting every violation. */
export class EnvReader {
  private readonly violations: string[] = [];

  constructor(private readonly env: EnvSource) {}

  /** A required, non-empty string. */
  text(name: string): string {
    const value = this.env[name];
    if (value === undefined || value.trim() === '') this.violations.push(`${name} (env) must be set, got ${quote(value)}`);
    return value ?? '';
  }

  /** A string that may be absent. */
  optionalText(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value === '' ? undefined : value;
  }

  /** A required integer in [min, max]. */
  integer(name: string, min: number, max: number): number {
    const raw = this.env[name];
    const value = raw !== undefined && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
    this.violations.push(...collect(intRangeViolation(`${name} (env)`, value, min, max)));
    return typeof value === 'number' ? value : min;
  }

  /** Records `message` as a violation when `condition` is false (rules spanning several variables). */
  require(condition: boolean, message: string): void {
    if (!condition) this.violations.push(message);
  }

  /** Throws one ConfigError listing every violation; does nothing when there is none. */
  check(): void {
    if (this.violations.length > 0) throw new ConfigError(this.violations);
  }
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
