import { describe, expect, it } from 'vitest';
import { decodeAwsChunked, S3Store, s3Backend } from '../../local-runtime/runtime/emulators/s3';
import { s3Route } from '../../local-runtime/runtime/gateway/s3-routes';
import { s3IamChecks } from '../../local-runtime/iam/s3-checks';
import type { BackendRequest } from '../../local-runtime/runtime/gateway/server';

function request(method: string, path: string, body = '', headers: Record<string, string> = {}): BackendRequest {
  return { method, path, headers, body, operation: s3Route(method, path).operation } as unknown as BackendRequest;
}

describe('S3 routes and IAM checks', () => {
  it('identifies path-style operations with their bucket and key', () => {
    expect([
      s3Route('PUT', '/b'), s3Route('PUT', '/b/a/b%20c.txt'), s3Route('GET', '/b?list-type=2&prefix=x'), s3Route('POST', '/b?delete'), s3Route('HEAD', '/b/k'), s3Route('GET', '/'),
    ].map((r) => [r.operation, r.params])).toStrictEqual([
      ['CreateBucket', { Bucket: 'b' }], ['PutObject', { Bucket: 'b', Key: 'a/b c.txt' }], ['ListObjectsV2', { Bucket: 'b' }], ['DeleteObjects', { Bucket: 'b' }], ['HeadObject', { Bucket: 'b', Key: 'k' }], ['ListBuckets', {}],
    ]);
  });

  it('checks object actions on the object ARN and listing on the bucket ARN', () => {
    expect(s3IamChecks('HeadObject', { Bucket: 'b', Key: 'k/1' })).toStrictEqual([{ action: 's3:GetObject', resource: 'arn:aws:s3:::b/k/1' }]);
    expect(s3IamChecks('ListObjectsV2', { Bucket: 'b' })).toStrictEqual([{ action: 's3:ListBucket', resource: 'arn:aws:s3:::b' }]);
  });
});

describe('S3 backend', () => {
  const store = new S3Store(() => Date.parse('2026-01-01T00:00:00Z'));
  store.createBucket('b');
  const serve = s3Backend(store);

  it('stores and returns objects with an MD5 ETag; a missing key is NoSuchKey in S3\'s XML', async () => {
    const put = await serve(request('PUT', '/b/docs/1.txt', 'hello', { 'content-type': 'text/plain' }));
    expect(put.headers.etag).toBe('"5d41402abc4b2a76b9719d911017c592"');
    const got = await serve(request('GET', '/b/docs/1.txt'));
    expect({ status: got.status, body: got.body, type: got.headers['content-type'] }).toStrictEqual({ status: 200, body: 'hello', type: 'text/plain' });
    const missing = await serve(request('GET', '/b/nope'));
    expect([missing.status, /<Code>NoSuchKey<\/Code>/.test(missing.body)]).toStrictEqual([404, true]);
  });

  it('lists under a prefix in key order, a page at a time', async () => {
    for (const k of ['p/c', 'p/a', 'p/b', 'q/a']) await serve(request('PUT', `/b/${k}`, k));
    const first = await serve(request('GET', '/b?list-type=2&prefix=p%2F&max-keys=2'));
    expect([...first.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1])).toStrictEqual(['p/a', 'p/b']);
    expect(first.body).toContain('<IsTruncated>true</IsTruncated>');
    const token = /<NextContinuationToken>([^<]*)</.exec(first.body)![1];
    const second = await serve(request('GET', `/b?list-type=2&prefix=p%2F&continuation-token=${encodeURIComponent(token!)}`));
    expect([...second.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1])).toStrictEqual(['p/c']);
  });

  it('decodes aws-chunked uploads', async () => {
    expect(decodeAwsChunked('5;chunk-signature=x\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:abc\r\n\r\n')).toBe('hello world');
    await serve(request('PUT', '/b/chunked', '3\r\nabc\r\n0\r\n\r\n', { 'content-encoding': 'aws-chunked' }));
    expect(store.get('b', 'chunked').body).toBe('abc');
  });
});
