/**
 * Exponential backoff with full jitter, and the test for errors worth retrying.
 *
 * Full jitter (a random delay between 0 and the capped exponential) spreads retries of many
 * concurrent callers apart, which is what clears throttling fastest. `sleep` and `random` are
 * injected so tests run instantly and deterministically.
 */

/** Backoff timing, shared by every retrying component. */
export interface BackoffOptions {
  /** Delay ceiling of the first retry, in ms; ≥ 0. @default 50 */
  readonly baseDelayMs?: number;
  /** Largest delay of any retry, in ms; ≥ baseDelayMs. @default 5000 */
  readonly maxDelayMs?: number;
  /** Waits `ms` milliseconds. @default - a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform random number in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/** {@link BackoffOptions} with every default applied. */
export type Backoff = Required<BackoffOptions>;

/** Waits `ms` milliseconds on a real timer. */
export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Applies the defaults; check the values first with {@link backoffViolations}. */
export function resolveBackoff(options: BackoffOptions = {}): Backoff {
  return {
    baseDelayMs: options.baseDelayMs ?? 50,
    maxDelayMs: options.maxDelayMs ?? 5_000,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
  };
}

/** One line per out-of-range backoff option, quoting the value (empty when all are valid). */
export function backoffViolations(options: BackoffOptions = {}): string[] {
  const { baseDelayMs, maxDelayMs } = resolveBackoff(options);
  const violations: string[] = [];
  if (!(baseDelayMs >= 0)) violations.push(`baseDelayMs must be ≥ 0, got ${String(baseDelayMs)}`);
  if (!(maxDelayMs >= baseDelayMs)) violations.push(`maxDelayMs must be ≥ baseDelayMs (${String(baseDelayMs)}), got ${String(maxDelayMs)}`);
  return violations;
}

/**
 * Delay before retry number `retry` (1 for the first retry): uniform in
 * [0, min(maxDelayMs, baseDelayMs × 2^(retry−1))).
 */
export function backoffDelay(retry: number, backoff: Pick<Backoff, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(backoff.random() * ceiling);
}

/** Error names and codes that mean "slow down" or "try again": retrying them can succeed. */
export const RETRYABLE_ERROR_NAMES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalError',
  'InternalFailure',
  'KMSThrottlingException',
]);

/** True when an error code (e.g. a failed batch entry's `Code`) is worth retrying. */
export function isRetryableCode(code: string): boolean {
  return RETRYABLE_ERROR_NAMES.has(code);
}

/**
 * True when a thrown error is worth retrying: a throttling or server-side name or code, an
 * AWS SDK error flagged `$retryable`, or an HTTP status of 429 or 5xx.
 */
export function isRetryableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { name?: unknown; code?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (typeof candidate.name === 'string' && isRetryableCode(candidate.name)) return true;
  if (typeof candidate.code === 'string' && isRetryableCode(candidate.code)) return true;
  if (candidate.$retryable) return true;
  const status = candidate.$metadata?.httpStatusCode;
  return typeof status === 'number' && (status === 429 || status >= 500);
}

/** Configuration of {@link withRetry}. */
export interface RetryOptions extends BackoffOptions {
  /** Attempts, the first one included; an integer ≥ 1. @default 3 */
  readonly maxAttempts?: number;
  /** Whether a thrown error is worth another attempt. @default isRetryableError */
  readonly isRetryable?: (error: unknown) => boolean;
}

/**
 * Calls `fn` until it resolves, retrying errors `isRetryable` accepts with backoff and full
 * jitter; rethrows the last error when attempts run out or the error is not retryable.
 */
export async function withRetry<R>(fn: (attempt: number) => Promise<R>, options: RetryOptions = {}): Promise<R> {
  const backoff = resolveBackoff(options);
  const maxAttempts = options.maxAttempts ?? 3;
  const isRetryable = options.isRetryable ?? isRetryableError;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryable(error)) throw error;
      await backoff.sleep(backoffDelay(attempt, backoff));
    }
  }
}
