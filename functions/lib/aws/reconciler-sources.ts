/**
 * The SourceReconciler's built-in sources: an S3 prefix (ListObjectsV2, 1,000 keys a page;
 * the ETag is the version, so a rewritten object is new work) and a DynamoDB query (one
 * partition of a table or index; an optional version attribute).
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SourceConfig } from '../../contract';
import type { ListFn } from '../source-reconciler/types';
import { sharedDocumentClient } from './dynamodb-write-port';

/** Lists an S3 prefix; each item's body is `{ bucket, key, size, etag }`. */
export function s3PrefixSource(config: Extract<SourceConfig, { kind: 's3' }>, client = new S3Client({})): ListFn {
  return async (cursor) => {
    const out = await client.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: config.prefix, ContinuationToken: cursor }));
    return {
      items: (out.Contents ?? []).map((o) => ({ id: o.Key as string, version: o.ETag?.replace(/"/g, ''), body: { bucket: config.bucket, key: o.Key, size: o.Size, etag: o.ETag?.replace(/"/g, '') } })),
      next: out.IsTruncated ? out.NextContinuationToken : undefined,
    };
  };
}

/** Queries one partition; each item's body is the item. */
export function dynamoQuerySource(config: Extract<SourceConfig, { kind: 'dynamodb' }>, client: DynamoDBDocumentClient = sharedDocumentClient()): ListFn {
  return async (cursor) => {
    const out = await client.send(new QueryCommand({
      TableName: config.table,
      IndexName: config.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': config.partitionKey },
      ExpressionAttributeValues: { ':pk': config.partitionValue },
      ExclusiveStartKey: cursor ? (JSON.parse(cursor) as Record<string, unknown>) : undefined,
    }));
    return {
      items: (out.Items ?? []).map((item) => ({ id: String(item[config.idAttribute]), ...(config.versionAttribute && item[config.versionAttribute] !== undefined ? { version: String(item[config.versionAttribute]) } : {}), body: item })),
      next: out.LastEvaluatedKey ? JSON.stringify(out.LastEvaluatedKey) : undefined,
    };
  };
}
