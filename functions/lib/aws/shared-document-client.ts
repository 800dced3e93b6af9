/**
 * The process-wide DynamoDB document client for stores that call DynamoDB on every invocation
 * (they import the SDK eagerly anyway, so the client is built synchronously). Shares its
 * instance with `document-client.ts`'s lazy path.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DOCUMENT_CLIENT_CONFIG, shareDocumentClient } from './document-client';

/** The process-wide DynamoDB document client; `undefined` attribute values are dropped. */
export function sharedDocumentClient(): DynamoDBDocumentClient {
  return shareDocumentClient(() => DynamoDBDocumentClient.from(new DynamoDBClient({}), DOCUMENT_CLIENT_CONFIG));
}
