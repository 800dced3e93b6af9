/**
 * The slot of the process-wide DynamoDB document client, and how it is configured.
 *
 * This module imports no SDK code: stores that call DynamoDB on every invocation fill the slot
 * eagerly (shared-document-client.ts), the write port lazily on its first write
 * (dynamodb-write-port.ts), and both get the same client. It is configured from the standard
 * AWS environment (`AWS_ENDPOINT_URL_DYNAMODB` points it at a local emulator).
 */
import type { DynamoDBDocumentClient, TranslateConfig } from '@aws-sdk/lib-dynamodb';

/** How every shared document client marshals: `undefined` attribute values are dropped. */
export const DOCUMENT_CLIENT_CONFIG: TranslateConfig = { marshallOptions: { removeUndefinedValues: true } };

let shared: DynamoDBDocumentClient | undefined;

/** The process-wide client: the one already built, else the one `build` returns. */
export function shareDocumentClient(build: () => DynamoDBDocumentClient): DynamoDBDocumentClient {
  return (shared ??= build());
}
