/**
 * S3 for the local runtime: an in-process object store (text objects) and the REST-XML
 * backend the gateway serves it with, path-style (`/<bucket>/<key>`): CreateBucket,
 * HeadBucket, ListBuckets, PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects,
 * ListObjectsV2. Requests reach it through the gateway, so they are counted and checked
 * against the caller's IAM policies like every other service. Why not s3rver: see
 * docs/local-runtime.md ("S3").
 */
import { createHash } from 'node:crypto';
import type { WireResponse } from '../../scheduling/protocol';
import type { BackendRequest, ServiceBackend } from '../gateway/server';
import { s3Route } from '../gateway/s3-routes';

/** One stored object. */
export interface S3Object {
  readonly body: string;
  readonly etag: string;
  /** Epoch ms. */
  readonly lastModified: number;
  readonly contentType: string;
}

/** The objects of every bucket, in memory. */
export class S3Store {
  private readonly buckets = new Map<string, Map<string, S3Object>>();

  /** @param now the runtime clock's time, for LastModified */
  constructor(private readonly now: () => number = Date.now) {}

  /** Creates a bucket (idempotent). */
  public createBucket(name: string): void {
    if (!this.buckets.has(name)) this.buckets.set(name, new Map());
  }

  /** The bucket names. */
  public bucketNames(): string[] {
    return [...this.buckets.keys()].sort();
  }

  /** The bucket's objects, or undefined when there is no such bucket. */
  public bucket(name: string): Map<string, S3Object> | undefined {
    return this.buckets.get(name);
  }

  /** Stores an object. @throws S3Error NoSuchBucket */
  public put(bucket: string, key: string, body: string, contentType = 'application/octet-stream'): S3Object {
    const objects = this.mustBucket(bucket);
    const object = { body, etag: `"${createHash('md5').update(body).digest('hex')}"`, lastModified: this.now(), contentType };
    objects.set(key, object);
    return object;
  }

  /** Reads an object. @throws S3Error NoSuchBucket / NoSuchKey */
  public get(bucket: string, key: string): S3Object {
    const object = this.mustBucket(bucket).get(key);
    if (!object) throw new S3Error('NoSuchKey', 404, 'The specified key does not exist.', key);
    return object;
  }

  private mustBucket(bucket: string): Map<string, S3Object> {
    const objects = this.buckets.get(bucket);
    if (!objects) throw new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist.', bucket);
    return objects;
  }
}

/** An S3 error answer. */
export class S3Error extends Error {
  /** @param code S3 error code @param status HTTP status @param message text @param resource the key or bucket */
  constructor(public readonly code: string, public readonly status: number, message: string, public readonly resource = '') {
    super(message);
    this.name = code;
  }
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xml = (body: string): WireResponse => ({ status: 200, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>${body}` });
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

function errorXml(err: S3Error): WireResponse {
  return { status: err.status, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${err.code}</Code><Message>${xmlEscape(err.message)}</Message><Resource>${xmlEscape(err.resource)}</Resource><RequestId>local</RequestId></Error>` };
}

/** Undoes `aws-chunked` content encoding (`<hex size>;chunk-signature=…\r\n<data>\r\n … 0\r\n<trailers>`). */
export function decodeAwsChunked(body: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) return out;
    const size = parseInt(body.slice(at, eol).split(';')[0]!, 16);
    if (!size) return out;
    const bytes = Buffer.from(body.slice(eol + 2), 'utf8').subarray(0, size).toString('utf8');
    out += bytes;
    at = eol + 2 + bytes.length + 2;
  }
}

function listObjectsV2(store: S3Store, bucket: string, query: URLSearchParams): WireResponse {
  const objects = store.bucket(bucket);
  if (!objects) throw new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist.', bucket);
  const prefix = query.get('prefix') ?? '';
  const after = query.get('continuation-token') ?? query.get('start-after') ?? '';
  const maxKeys = Math.min(Number(query.get('max-keys') ?? 1000), 1000);
  const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
  const page = keys.slice(0, maxKeys);
  const truncated = keys.length > page.length;
  const contents = page.map((k) => {
    const o = objects.get(k)!;
    return `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${new Date(o.lastModified).toISOString()}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${Buffer.byteLength(o.body)}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
  }).join('');
  const next = truncated ? `<NextContinuationToken>${xmlEscape(page.at(-1)!)}</NextContinuationToken>` : '';
  return xml(`<ListBucketResult ${NS}><Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`);
}

function serve(store: S3Store, req: BackendRequest): WireResponse {
  const route = s3Route(req.method, req.path);
  const { Bucket: bucket = '', Key: key = '' } = route.params;
  const query = new URLSearchParams(req.path.split('?')[1] ?? '');
  switch (route.operation) {
    case 'ListBuckets':
      return xml(`<ListAllMyBucketsResult ${NS}><Buckets>${store.bucketNames().map((b) => `<Bucket><Name>${xmlEscape(b)}</Name><CreationDate>2025-01-01T00:00:00.000Z</CreationDate></Bucket>`).join('')}</Buckets></ListAllMyBucketsResult>`);
    case 'CreateBucket':
      store.createBucket(bucket);
      return { status: 200, headers: { location: `/${bucket}` }, body: '' };
    case 'HeadBucket':
      if (!store.bucket(bucket)) throw new S3Error('NotFound', 404, '', bucket);
      return { status: 200, headers: {}, body: '' };
    case 'ListObjectsV2':
      return listObjectsV2(store, bucket, query);
    case 'PutObject': {
      const chunked = (req.headers['content-encoding'] ?? '').includes('aws-chunked') || (req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING');
      const object = store.put(bucket, key, chunked ? decodeAwsChunked(req.body) : req.body, req.headers['content-type']);
      return { status: 200, headers: { etag: object.etag }, body: '' };
    }
    case 'GetObject':
    case 'HeadObject': {
      const o = store.get(bucket, key);
      const headers = { 'content-type': o.contentType, etag: o.etag, 'last-modified': new Date(o.lastModified).toUTCString(), 'accept-ranges': 'bytes' };
      return { status: 200, headers, body: route.operation === 'GetObject' ? o.body : '' };
    }
    case 'DeleteObject':
      store.bucket(bucket)?.delete(key);
      return { status: 204, headers: {}, body: '' };
    case 'DeleteObjects': {
      const keys = [...req.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
      for (const k of keys) store.bucket(bucket)?.delete(k);
      return xml(`<DeleteResult ${NS}>${keys.map((k) => `<Deleted><Key>${xmlEscape(k)}</Key></Deleted>`).join('')}</DeleteResult>`);
    }
    default:
      throw new S3Error('NotImplemented', 501, `${route.operation} is not emulated locally`);
  }
}

/** The gateway backend of S3 over `store`. */
export function s3Backend(store: S3Store): ServiceBackend {
  return async (req) => {
    try {
      return serve(store, req);
    } catch (err) {
      if (err instanceof S3Error) return errorXml(err);
      throw err;
    }
  };
}
