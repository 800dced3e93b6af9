/**
 * The naive baseline of the marker-sweeper bench: processes every mark event as it arrives —
 * the effect once per event — reporting failed events as batch item failures (SQS redelivers
 * them; past the queue's maxReceiveCount they go to its DLQ), and failing the whole batch on
 * an injected batch failure.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { applyEffect, batchFails, EFFECT_MS, logEffect } from './effect';

const keyOf = (body: string) => String((JSON.parse(body) as { key: string }).key);

/** The Lambda handler. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  await new Promise((resolve) => setTimeout(resolve, EFFECT_MS));
  const attempt = (r: SQSEvent['Records'][number]) => `${r.messageId}#${r.attributes.ApproximateReceiveCount}`;
  if (batchFails(event.Records.map(attempt))) {
    for (const record of event.Records) logEffect(keyOf(record.body), false);
    throw new Error('injected failure: the whole batch');
  }
  const failures = event.Records.filter((record) => !applyEffect(keyOf(record.body), attempt(record)));
  return { batchItemFailures: failures.map((record) => ({ itemIdentifier: record.messageId })) };
};
