/**
 * BatchWriteItem adapter for the runtime's {@link BatchWritePort}, in document form
 * (lib-dynamodb marshals plain JavaScript values).
 *
 * The DynamoDB packages are imported on the first write, not when the handler loads: a stage
 * whose sink is a queue builds this port but never writes (measured by `npm run bench --
 * cold-start`). Without `client`, it uses the process-wide document client (document-client.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BatchWritePort, WritePortResult, WriteRequest } from '../batch-writer';
import { DOCUMENT_CLIENT_CONFIG, shareDocumentClient } from './document-client';

let documentsPackage: Promise<typeof import('@aws-sdk/lib-dynamodb')> | undefined;
let dynamoDbPackage: Promise<typeof import('@aws-sdk/client-dynamodb')> | undefined;

/** The document client package (commands), imported once, on first use. */
function loadDocuments(): Promise<typeof import('@aws-sdk/lib-dynamodb')> {
  return (documentsPackage ??= import('@aws-sdk/lib-dynamodb'));
}

/** The process-wide document client, importing the DynamoDB packages on first use. */
async function lazySharedDocumentClient(): Promise<DynamoDBDocumentClient> {
  const [{ DynamoDBClient }, { DynamoDBDocumentClient }] = await Promise.all([(dynamoDbPackage ??= import('@aws-sdk/client-dynamodb')), loadDocuments()]);
  return shareDocumentClient(() => DynamoDBDocumentClient.from(new DynamoDBClient({}), DOCUMENT_CLIENT_CONFIG));
}

/** A {@link BatchWritePort} that writes to `tableName` with BatchWriteItem. */
export function dynamoDbWritePort(tableName: string, client?: DynamoDBDocumentClient): BatchWritePort {
  return {
    async write(requests: readonly WriteRequest[]): Promise<WritePortResult> {
      const [{ BatchWriteCommand }, documents] = await Promise.all([loadDocuments(), client ?? lazySharedDocumentClient()]);
      const output = await documents.send(
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
