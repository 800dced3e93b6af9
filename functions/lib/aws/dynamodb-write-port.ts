/**
 * BatchWriteItem adapter for the runtime's {@link BatchWritePort}, in document form
 * (lib-dynamodb marshals plain JavaScript values).
 *
 * One document client per process, configured from the standard AWS environment
 * (`AWS_ENDPOINT_URL_DYNAMODB` points it at a local emulator).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BatchWritePort, WritePortResult, WriteRequest } from '../batch-writer';

let sharedClient: DynamoDBDocumentClient | undefined;

/** The process-wide DynamoDB document client; `undefined` attribute values are dropped. */
export function sharedDocumentClient(): DynamoDBDocumentClient {
  return (sharedClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }));
}

/** A {@link BatchWritePort} that writes to `tableName` with BatchWriteItem. */
export function dynamoDbWritePort(tableName: string, client: DynamoDBDocumentClient = sharedDocumentClient()): BatchWritePort {
  return {
    async write(requests: readonly WriteRequest[]): Promise<WritePortResult> {
      const output = await client.send(
        new BatchWriteCommand({
          RequestItems: {
            [tableName]: requests.map((request) =>
              'put' in request ? { PutRequest: { Item: { ...request.put } } } : { DeleteRequest: { Key: { ...request.delete } } },
            ),
          },
        }),
      );
      const unprocessed = (output.UnprocessedItems?.[tableName] ?? []).flatMap((request): WriteRequest[] => {
        if (request.PutRequest?.Item) return [{ put: request.PutRequest.Item }];
        if (request.DeleteRequest?.Key) return [{ delete: request.DeleteRequest.Key }];
        return [];
      });
      return { unprocessed };
    },
  };
}
