/**
 * Strict reading of the settings a construct passes its handlers as environment variables:
 * every missing or bad value is collected, then one ConfigError names them all and quotes
 * each value, so a misconfigured function fails its cold start once, with the whole list.
 */
import { ConfigError } from './errors';
import { collect, intRangeViolation, quote } from './validate';

/** An environment to read from (`process.env` in Lambda). */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Reads settings one by one, collecting every violation. */
export class EnvReader {
  private readonly violations: string[] = [];

  /** @param env where the variables are read from */
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
    // A placeholder in range keeps the caller's arithmetic sane until check() throws.
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
