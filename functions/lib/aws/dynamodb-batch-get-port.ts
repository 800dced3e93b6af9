/**
 * BatchGetItem adapter for the request aggregator's {@link BatchGetPort}, in document form.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DocumentItem } from '../batch-writer';
import type { BatchGetPort, BatchGetResult } from '../request-aggregator/batch-get';
import { sharedDocumentClient } from './dynamodb-write-port';

/**
 * A {@link BatchGetPort} reading from `tableName` with BatchGetItem: strongly consistent when
 * asked, and only the `projection` attributes when given (they must include the key attributes).
 */
export function dynamoDbBatchGetPort(tableName: string, client: DynamoDBDocumentClient = sharedDocumentClient(), consistentRead = false, projection?: readonly string[]): BatchGetPort {
  const names = projection === undefined ? {} : {
    ProjectionExpression: projection.map((_, i) => `#p${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(projection.map((name, i) => [`#p${i}`, name])),
  };
  return {
    async get(keys: readonly DocumentItem[]): Promise<BatchGetResult> {
      const output = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys.map((key) => ({ ...key })), ConsistentRead: consistentRead, ...names } } }));
      return { items: output.Responses?.[tableName] ?? [], unprocessed: output.UnprocessedKeys?.[tableName]?.Keys ?? [] };
    },
  };
}
