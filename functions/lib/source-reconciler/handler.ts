/**
 * The scheduled SourceReconciler handler: one {@link reconcile} run per invocation, settings
 * from the environment the construct sets.
 */
import { SourceReconcilerEnv } from '../../contract';
import { EnvReader, type EnvSource } from '../env-reader';
import { observability } from '../observability';
import { QueuePublisher } from '../publisher';
import type { QueueSendPort } from '../queue-port';
import { reconcile, type ReconcileReport } from './reconcile';
import type { Ledger, ListFn } from './types';

/** Options of the `sourceReconciler()` factory. */
export interface SourceReconcilerOptions {
  /** Lists one page of your source from a cursor (undefined: the first page). */
  readonly list: ListFn;
  /** @default process.env */
  readonly env?: EnvSource;
  /** Epoch ms. @default Date.now */
  readonly now?: () => number;
}

/** What the reconciler is wired to. */
export interface SourceReconcilerWiring {
  readonly ledgerFor: (settings: { tableName: string; ttlSeconds: number }) => Ledger;
  readonly sendPortFor: (queueUrl: string) => QueueSendPort;
}

/** The scheduled handler: one run, its report as the result. */
export type SourceReconcilerHandler = (event?: unknown) => Promise<ReconcileReport>;

/** Builds the handler. @throws ConfigError naming every bad env var */
export function createSourceReconcilerHandler(options: SourceReconcilerOptions, wiring: SourceReconcilerWiring): SourceReconcilerHandler {
  const env = options.env ?? process.env;
  const reader = new EnvReader(env);
  const tableName = reader.text(SourceReconcilerEnv.ledgerTableName);
  const queueUrl = reader.text(SourceReconcilerEnv.outputQueueUrl);
  const leaseMs = reader.integer(SourceReconcilerEnv.leaseMs, 1_000, 43_200_000);
  const maxItems = reader.integer(SourceReconcilerEnv.maxItems, 1, 10_000_000);
  const ttlSeconds = reader.integer(SourceReconcilerEnv.ttlSeconds, 3600, 31_536_000);
  reader.check();
  const ledger = wiring.ledgerFor({ tableName, ttlSeconds });
  const publisher = new QueuePublisher({ port: wiring.sendPortFor(queueUrl) });
  const { logger } = observability({}, env);
  return async () => {
    const report = await reconcile({
      list: options.list,
      ledger,
      enqueue: async (items) => void (await publisher.publish(items.map((i) => ({ body: JSON.stringify(i.body) })))),
      now: options.now ?? Date.now,
      leaseMs,
      maxItems,
    });
    logger.info('reconciled', { ...report });
    return report;
  };
}
