/**
 * An in-process S3 client for the runtime's own callers (a state machine's ItemReader and
 * ResultWriter): REST requests through {@link Gateway.serve}, so they are counted and checked
 * against the caller's role like an SDK's would be.
 */
import type { S3Access, S3ObjectSummary } from '../../stepfunctions/item-reader';
import { LocalCallError } from './local-client';
import type { Gateway } from './server';

const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const tag = (xml: string, name: string) => unescapeXml(new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? '');

/** Calls S3 through the gateway as one principal. */
export class LocalS3Client implements S3Access {
  /** @param gateway the gateway @param accessKeyId the caller's key @param region the credential scope's region */
  constructor(private readonly gateway: Gateway, private readonly accessKeyId: string, private readonly region: string) {}

  /** @inheritdoc */
  public async getObject(bucket: string, key: string): Promise<string> {
    return (await this.send('GET', `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`, '', 'GetObject')).body;
  }

  /** @inheritdoc */
  public async listObjects(bucket: string, prefix: string): Promise<readonly S3ObjectSummary[]> {
    const out: S3ObjectSummary[] = [];
    let token = '';
    do {
      const query = new URLSearchParams({ 'list-type': '2', prefix, ...(token ? { 'continuation-token': token } : {}) });
      const { body } = await this.send('GET', `/${encodeURIComponent(bucket)}?${query}`, '', 'ListObjectsV2');
      for (const [, c] of body.matchAll(/<Contents>(.*?)<\/Contents>/g)) {
        out.push({ Key: tag(c!, 'Key'), Size: Number(tag(c!, 'Size')), ETag: tag(c!, 'ETag'), LastModified: Date.parse(tag(c!, 'LastModified')) });
      }
      token = tag(body, 'IsTruncated') === 'true' ? tag(body, 'NextContinuationToken') : '';
    } while (token);
    return out;
  }

  /** @inheritdoc */
  public async putObject(bucket: string, key: string, body: string): Promise<void> {
    await this.send('PUT', `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`, body, 'PutObject');
  }

  private async send(method: string, url: string, body: string, operation: string): Promise<{ body: string }> {
    const headers = {
      host: this.gateway.host,
      'content-type': 'application/octet-stream',
      authorization: `AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/20250101/${this.region}/s3/aws4_request, SignedHeaders=host, Signature=0`,
      'x-amz-date': '20250101T000000Z',
    };
    const reply = await this.gateway.serve(method, url, headers, body);
    if (reply.status >= 300) {
      const error = new LocalCallError(operation, tag(reply.body, 'Code') || String(reply.status), reply.status, tag(reply.body, 'Message'));
      // ItemReader reports the S3 error code as the error name.
      error.name = error.code;
      throw error;
    }
    return { body: reply.body };
  }
}
