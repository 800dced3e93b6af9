/**
 * The IAM checks AWS makes for an S3 request: object actions on `arn:aws:s3:::bucket/key`,
 * bucket actions on `arn:aws:s3:::bucket`.
 */
import type { IamCheck } from './request-checks';

const ACTION: Record<string, string> = {
  GetObject: 's3:GetObject', HeadObject: 's3:GetObject', PutObject: 's3:PutObject', DeleteObject: 's3:DeleteObject', DeleteObjects: 's3:DeleteObject',
  ListObjectsV2: 's3:ListBucket', ListObjects: 's3:ListBucket', HeadBucket: 's3:ListBucket', CreateBucket: 's3:CreateBucket', ListBuckets: 's3:ListAllMyBuckets',
};

/** The IAM checks of an S3 request (object actions on `arn:aws:s3:::bucket/key`, bucket actions on the bucket). */
export function s3IamChecks(operation: string, params: Record<string, unknown>): IamCheck[] {
  const action = ACTION[operation] ?? `s3:${operation}`;
  const bucket = typeof params.Bucket === 'string' ? params.Bucket : '';
  if (operation === 'ListBuckets') return [{ action, resource: '*' }];
  if (typeof params.Key === 'string' && params.Key !== '') return [{ action, resource: `arn:aws:s3:::${bucket}/${params.Key}` }];
  // DeleteObjects names its keys in the body; AWS checks s3:DeleteObject on each, the bucket stands in for them here.
  return [{ action, resource: operation === 'DeleteObjects' ? `arn:aws:s3:::${bucket}/*` : `arn:aws:s3:::${bucket}` }];
}
