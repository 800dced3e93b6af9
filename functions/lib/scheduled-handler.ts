/**
 * What the handler factories of the scheduled patterns (MarkerSweeper, RollingPoller) share:
 * their options, strict option checks, and the middy chain of a scheduled run that must stop
 * starting work once half of its invocation time is gone.
 */
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { systemClock, type Clock } from './clock';
import type { EnvSource } from './env-reader';
import { ConfigError } from './errors';
import { observability } from './observability';
import { collect, unknownKeyViolations } from './validate';

export { systemClock, type Clock };

/** Options every scheduled-pattern handler factory takes. */
export interface ScheduledHandlerOptions {
  /** Powertools logger. @default - a Logger named from env POWERTOOLS_SERVICE_NAME */
  readonly logger?: Logger;
  /** Powertools metrics. @default - namespace from env POWERTOOLS_METRICS_NAMESPACE, else `PpPatterns` */
  readonly metrics?: Metrics;
  /** The time source of marks, polls, back-offs and leases. @default - the system clock */
  readonly clock?: Clock;
  /** Environment to read settings from. @default process.env */
  readonly env?: EnvSource;
}

const KNOWN_OPTIONS = ['logger', 'metrics', 'clock', 'env'] as const satisfies ReadonlyArray<keyof ScheduledHandlerOptions>;

/** {@link ScheduledHandlerOptions} with every default applied. */
export interface ResolvedHandlerOptions {
  /** Where settings are read from. */
  readonly env: EnvSource;
  /** The handler's logger. */
  readonly logger: Logger;
  /** The handler's metrics. */
  readonly metrics: Metrics;
  /** The handler's time source. */
  readonly clock: Clock;
}

/** What a scheduled pattern's user function gets besides its items. */
export interface ScheduledRunContext {
  /** The handler's logger. */
  readonly logger: Logger;
  /** The Lambda invocation context. */
  readonly lambdaContext: Context;
}

/**
 * Rejects unknown option keys (a typo would otherwise be silently ignored), then applies the
 * defaults: `process.env`, Powertools telemetry named from it, the system clock.
 *
 * @param factory the factory's name, quoted in the error (`sweeper`, `poller`, …)
 * @throws ConfigError naming every unknown key
 */
export function resolveHandlerOptions(factory: string, options: ScheduledHandlerOptions): ResolvedHandlerOptions {
  const violations = collect(unknownKeyViolations(factory, options, KNOWN_OPTIONS));
  if (violations.length > 0) throw new ConfigError(violations);
  const env = options.env ?? process.env;
  return { env, ...observability(options, env), clock: options.clock ?? systemClock };
}

/**
 * A scheduled Lambda handler: logger context and metrics flushing around `run`, which gets the
 * invocation context and a `hasTimeLeft` test that holds while more than half of the time the
 * invocation started with remains, so the batch or window it starts can still finish.
 */
export function scheduledHandler<R>(
  logger: Logger,
  metrics: Metrics,
  run: (lambdaContext: Context, hasTimeLeft: () => boolean) => Promise<R>,
): MiddyfiedHandler<unknown, R> {
  return middy<unknown, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (_event, lambdaContext) => {
      const half = lambdaContext.getRemainingTimeInMillis() / 2;
      return run(lambdaContext, () => lambdaContext.getRemainingTimeInMillis() > half);
    });
}
