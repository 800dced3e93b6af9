/**
 * The Powertools logger and metrics every handler factory builds when the caller passes none,
 * named from the variables `handlerFunction` sets, so the `metric*` methods of the construct
 * read exactly the namespace and `service` dimension the function writes.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Env, METRICS_NAMESPACE } from '../contract';
import type { EnvSource } from './env-reader';

/** The logger and metrics of a handler: the given ones, or new ones named by the Powertools env vars. */
export function observability(options: { readonly logger?: Logger; readonly metrics?: Metrics }, env: EnvSource): { logger: Logger; metrics: Metrics } {
  const serviceName = env[Env.serviceName];
  return {
    logger: options.logger ?? new Logger(serviceName ? { serviceName } : {}),
    metrics: options.metrics ?? new Metrics({ namespace: env[Env.metricsNamespace] || METRICS_NAMESPACE, ...(serviceName ? { serviceName } : {}) }),
  };
}
