/**
 * `sourceReconciler()`: the SourceReconciler's handler factory wired to DynamoDB and SQS.
 */
import { dynamoLedger } from '../lib/aws/ledger';
import { sqsSendPort } from '../lib/aws/sqs-send-port';
import { createSourceReconcilerHandler, type SourceReconcilerHandler, type SourceReconcilerOptions } from '../lib/source-reconciler/handler';

/**
 * Builds the scheduled reconciler around your paginated listing: each run lists the source,
 * skips what it already enqueued, and sends only the rest to the work queue.
 *
 * ```ts
 * export const handler = sourceReconciler({
 *   list: async (cursor) => {
 *     const page = await api.items({ after: cursor });
 *     return { items: page.items.map((i) => ({ id: i.name, version: i.updatedAt, body: i })), next: page.next };
 *   },
 * });
 * ```
 */
export function sourceReconciler(options: SourceReconcilerOptions): SourceReconcilerHandler {
  return createSourceReconcilerHandler(options, { ledgerFor: (s) => dynamoLedger(s), sendPortFor: (url) => sqsSendPort(url) });
}
