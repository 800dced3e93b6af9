/**
 * Handler entry of the SourceReconciler's built-in sources (an S3 prefix or a DynamoDB
 * query), configured by the construct in `PP_RECONCILER_SOURCE`.
 */
import { type SourceConfig, SourceReconcilerEnv } from '../contract';
import { dynamoQuerySource, s3PrefixSource } from '../lib/aws/reconciler-sources';
import { ConfigError } from '../lib/errors';
import { sourceReconciler } from './factory';

function sourceFromEnv(): SourceConfig {
  const raw = process.env[SourceReconcilerEnv.source];
  try {
    const config = JSON.parse(raw ?? '') as SourceConfig;
    if (config.kind === 's3' || config.kind === 'dynamodb') return config;
  } catch {
    // Reported below with the value.
  }
  throw new ConfigError([`${SourceReconcilerEnv.source} (env) must be a JSON source of kind s3 or dynamodb, got ${JSON.stringify(raw)}`]);
}

const source = sourceFromEnv();

/** The Lambda handler: one reconciliation run. */
export const handler = sourceReconciler({ list: source.kind === 's3' ? s3PrefixSource(source) : dynamoQuerySource(source) });
