/**
 * `requestAggregatorClient()`: the caller's helper for a RequestAggregator construct, wired to
 * SQS and DynamoDB. Build it once per process (module scope) so concurrent callers share its
 * batched sends and polls.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ResultTable } from '../contract';
import { dynamoDbGetBatch, sqsSendBatch } from './backends';
import { AggregatorClient, type AggregatorClientOptions } from '../lib/request-aggregator/client';

/** Where a {@link requestAggregatorClient} sends and reads. */
export interface RequestAggregatorClientOptions extends Omit<AggregatorClientOptions, 'sendBatch' | 'getBatch'> {
  /** The construct's ingress queue URL (`ingress.queueUrl`). */
  readonly queueUrl: string;
  /** The construct's results table name (`table.tableName`). */
  readonly tableName: string;
  /** @default - the process-wide SQS client */
  readonly sqsClient?: SQSClient;
  /** @default - the process-wide DynamoDB document client */
  readonly documentClient?: DynamoDBDocumentClient;
}

/**
 * A client whose `submit(request)` resolves with the request id and whose
 * `submitAndWait(request)` resolves with the answer. The caller needs the construct's
 * `grantSend` and `grantReadResults`.
 *
 * ```ts
 * const prices = requestAggregatorClient<{ sku: string }, Price>({ queueUrl, tableName });
 * const price = await prices.submitAndWait({ sku: 'A-1' });
 * ```
 */
export function requestAggregatorClient<Req, Res>(options: RequestAggregatorClientOptions): AggregatorClient<Req, Res> {
  const { queueUrl, tableName, sqsClient, documentClient, ...rest } = options;
  return new AggregatorClient<Req, Res>({
    ...rest,
    sendBatch: sqsSendBatch({ queueUrl, client: sqsClient }),
    getBatch: dynamoDbGetBatch({ tableName, keyAttributes: [ResultTable.partitionKey], client: documentClient, consistentRead: true }),
  });
}
