/**
 * S3's REST-XML routes (path style, `/<bucket>/<key>`): the operation a request is, its
 * Bucket and Key.
 */
/** An identified S3 request. */
export interface S3Route {
  readonly operation: string;
  readonly params: { readonly Bucket?: string; readonly Key?: string };
}

/** Identifies an S3 request from its method and path. */
export function s3Route(method: string, url: string): S3Route {
  const [path = '/', query = ''] = url.split('?');
  const q = new URLSearchParams(query);
  const slash = path.indexOf('/', 1);
  const Bucket = decodeURIComponent(slash < 0 ? path.slice(1) : path.slice(1, slash));
  const Key = slash < 0 ? '' : decodeURIComponent(path.slice(slash + 1));
  if (!Bucket) return { operation: method === 'GET' ? 'ListBuckets' : `${method} /`, params: {} };
  if (!Key) {
    if (method === 'PUT') return { operation: 'CreateBucket', params: { Bucket } };
    if (method === 'HEAD') return { operation: 'HeadBucket', params: { Bucket } };
    if (method === 'POST' && q.has('delete')) return { operation: 'DeleteObjects', params: { Bucket } };
    if (method === 'GET' && q.get('list-type') === '2') return { operation: 'ListObjectsV2', params: { Bucket } };
    if (method === 'GET') return { operation: 'ListObjects', params: { Bucket } };
    return { operation: `${method} bucket`, params: { Bucket } };
  }
  const byMethod: Record<string, string> = { PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' };
  return { operation: byMethod[method] ?? `${method} object`, params: { Bucket, Key } };
}
