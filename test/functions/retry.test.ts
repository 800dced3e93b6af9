import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, backoffViolations, isRetryableCode, isRetryableError, resolveBackoff, withRetry } from '../../functions/lib/retry';
import { awsError } from '../../functions/lib/testing/recording-ports';

describe('backoffDelay', () => {
  it('stays within [0, min(cap, base × 2^(retry−1))) for any random in [0, 1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, baseDelayMs, extra, random) => {
          const maxDelayMs = baseDelayMs + extra;
          const delay = backoffDelay(retry, { baseDelayMs, maxDelayMs, random: () => random });
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1)));
        },
      ),
    );
  });

  it('doubles the ceiling per retry until the cap (full jitter scales it)', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, { baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.5 }));
    expect(delays).toStrictEqual([50, 100, 200, 400, 500, 500]);
  });
});

describe('resolveBackoff / backoffViolations', () => {
  it('defaults to 50 ms base and 5 s cap', () => {
    expect(resolveBackoff()).toMatchObject({ baseDelayMs: 50, maxDelayMs: 5_000 });
  });

  it('reports a negative base and a cap below the base, quoting the values', () => {
    expect(backoffViolations({ baseDelayMs: -1 })).toStrictEqual(['baseDelayMs must be ≥ 0, got -1']);
    expect(backoffViolations({ baseDelayMs: 100, maxDelayMs: 10 })).toStrictEqual(['maxDelayMs must be ≥ baseDelayMs (100), got 10']);
  });
});

describe('isRetryableError', () => {
  it.each(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'RequestThrottled', 'ServiceUnavailable', 'InternalServerError', 'TooManyRequestsException'])(
    'retries %s',
    (name) => {
      expect(isRetryableError(awsError(name))).toBe(true);
    },
  );

  it('retries SDK errors flagged $retryable and HTTP 429/5xx', () => {
    expect(isRetryableError(Object.assign(new Error('x'), { $retryable: { throttling: true } }))).toBe(true);
    expect(isRetryableError(awsError('SomethingOdd', 'server', 503))).toBe(true);
    expect(isRetryableError(awsError('SomethingOdd', 'client', 429))).toBe(true);
  });

  it('does not retry client errors, plain errors or non-errors', () => {
    expect(isRetryableError(awsError('ValidationException'))).toBe(false);
    expect(isRetryableError(awsError('AccessDeniedException', 'client', 403))).toBe(false);
    expect(isRetryableError(new Error('boom'))).toBe(false);
    expect(isRetryableError('ThrottlingException')).toBe(false);
    expect(isRetryableError(null)).toBe(false);
  });

  it('retries SQS batch entry codes for server-side failures only', () => {
    expect(isRetryableCode('InternalError')).toBe(true);
    expect(isRetryableCode('InvalidParameterValue')).toBe(false);
  });
});

describe('withRetry', () => {
  it('retries retryable errors with growing jittered sleeps, then returns', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async (attempt) => {
        calls++;
        if (attempt < 3) throw awsError('ThrottlingException');
        return 'done';
      },
      { maxAttempts: 5, baseDelayMs: 10, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) },
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(sleeps).toStrictEqual([5, 10]);
  });

  it('rethrows a non-retryable error at once', async () => {
    let calls = 0;
    const error = awsError('ValidationException');
    await expect(withRetry(async () => { calls++; throw error; }, { maxAttempts: 5, sleep: async () => undefined })).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  it('rethrows the last error when attempts run out', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => { calls++; throw awsError('ThrottlingException'); }, { maxAttempts: 3, sleep: async () => undefined }),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(calls).toBe(3);
  });
});
