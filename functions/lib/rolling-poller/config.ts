/**
 * The poller's and ingress's settings, read strictly from the environment the construct sets
 * (names in `RollingPollerEnv`) once per process.
 */
import { RollingPollerEnv as E } from '../../contract';
import { EnvReader, type EnvSource } from '../env-reader';
import { quote } from '../validate';
import type { TickOptions } from './poll-tick';

/** Where completion events go: exactly one of a queue or an EventBridge bus. */
export type CompletionTarget = { readonly queueUrl: string } | { readonly busName: string };

/** The poller's settings. */
export interface PollerConfig extends Omit<TickOptions, 'hasTimeLeft' | 'newOwner' | 'writeConcurrency'> {
  /** The watch table name. */
  readonly tableName: string;
  /** Where completion events go. */
  readonly completion: CompletionTarget;
}

/**
 * The poller's settings.
 *
 * @throws ConfigError naming every missing or bad variable
 */
export function readPollerConfig(env: EnvSource): PollerConfig {
  const reader = new EnvReader(env);
  const queueUrl = reader.optionalText(E.completionQueueUrl);
  const busName = reader.optionalText(E.completionBusName);
  const config: PollerConfig = {
    tableName: reader.text(E.watchTableName),
    windowSize: reader.integer(E.windowSize, 1, 1_000),
    maxCallsPerTick: reader.integer(E.maxCallsPerTick, 1, 1_000),
    leaseMs: reader.integer(E.leaseSeconds, 1, 12 * 3600) * 1000,
    maxAttempts: reader.integer(E.maxAttempts, 1, 100),
    backoffBaseMs: reader.integer(E.backoffBaseSeconds, 1, 86_400) * 1000,
    backoffMaxMs: reader.integer(E.backoffMaxSeconds, 1, 86_400) * 1000,
    completion: queueUrl !== undefined ? { queueUrl } : { busName: busName ?? '' },
  };
  reader.require(
    (queueUrl === undefined) !== (busName === undefined),
    `exactly one of ${E.completionQueueUrl} and ${E.completionBusName} (env) must be set, got ${queueUrl === undefined && busName === undefined ? 'neither' : 'both'}`,
  );
  reader.require(!queueUrl?.endsWith('.fifo'), `${E.completionQueueUrl} (env) must name a standard queue (events are sent without a message group id), got ${quote(queueUrl)}`);
  reader.require(config.backoffMaxMs >= config.backoffBaseMs, `${E.backoffMaxSeconds} (env) must be ≥ ${E.backoffBaseSeconds}, got ${config.backoffMaxMs / 1000} < ${config.backoffBaseMs / 1000}`);
  reader.check();
  return config;
}

/**
 * The ingress's settings: the watch table name.
 *
 * @throws ConfigError when it is missing
 */
export function readIngressConfig(env: EnvSource): { readonly tableName: string } {
  const reader = new EnvReader(env);
  const tableName = reader.text(E.watchTableName);
  reader.check();
  return { tableName };
}
