/**
 * Plain HTTP plumbing between the gateway and the in-process emulators: one keep-alive
 * agent, a forwarder, and a small AWS JSON-protocol caller for the runtime's own
 * (uncounted) calls — provisioning, DLQ depth, done counts.
 */
import { Agent, request } from 'node:http';
import { LocalRuntimeError } from '../errors';

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** A buffered HTTP response. */
export interface HttpReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/**
 * Sends one request to an emulator on 127.0.0.1 and buffers the answer.
 *
 * @param port the emulator's port
 * @param method the HTTP method
 * @param path path and query
 * @param headers headers to send (the caller's, possibly rewritten)
 * @param body the request body
 */
export function sendHttp(port: number, method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...headers, 'content-length': String(body.length) }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An emulator answered one of the runtime's own calls with an error. */
export class EmulatorCallError extends LocalRuntimeError {
  /** The AWS error code from the answer's `__type`. */
  public readonly code: string;

  /**
   * @param target the operation called, e.g. `DynamoDB_20120810.CreateTable`
   * @param code the error code
   * @param message the emulator's message
   */
  constructor(target: string, code: string, message: string) {
    super(`${target} failed: ${code}: ${message}`);
    this.code = code;
  }
}

/** Options of {@link callAwsJson}. */
export interface AwsJsonCallOptions {
  /** The `Host` header (fauxqs builds queue URLs from it). @default '127.0.0.1:<port>' over HTTP */
  readonly host?: string;
  /** The region named in the credential scope. @default 'us-east-1' */
  readonly region?: string;
  /** The JSON protocol version. @default '1.0' */
  readonly jsonVersion?: '1.0' | '1.1';
}

/** Sends one buffered request to an emulator, over HTTP or otherwise. */
export type EmulatorTransport = (method: string, path: string, headers: Record<string, string>, body: Buffer) => Promise<HttpReply>;

/**
 * Calls an AWS JSON-protocol operation on an emulator directly (not through the gateway, so
 * it is neither counted nor checked against IAM).
 *
 * @param port the emulator's port
 * @param target the `X-Amz-Target`, e.g. `AmazonSQS.CreateQueue`
 * @param input the request body
 * @throws EmulatorCallError when the emulator answers with an error
 */
export function callAwsJson<T = Record<string, unknown>>(port: number, target: string, input: unknown, options: AwsJsonCallOptions = {}): Promise<T> {
  return callAwsJsonVia<T>((method, path, headers, body) => sendHttp(port, method, path, headers, body), target, input, { host: `127.0.0.1:${port}`, ...options });
}

/**
 * {@link callAwsJson} over any transport (the SQS emulator's thread port, say).
 *
 * @param send the transport
 * @param target the `X-Amz-Target`, e.g. `AmazonSQS.CreateQueue`
 * @param input the request body
 * @throws EmulatorCallError when the emulator answers with an error
 */
export async function callAwsJsonVia<T = Record<string, unknown>>(send: EmulatorTransport, target: string, input: unknown, options: AwsJsonCallOptions = {}): Promise<T> {
  const service = target.startsWith('AmazonSQS') ? 'sqs' : 'dynamodb';
  const headers = {
    host: options.host ?? 'localhost',
    'content-type': `application/x-amz-json-${options.jsonVersion ?? '1.0'}`,
    'x-amz-target': target,
    authorization: `AWS4-HMAC-SHA256 Credential=observer/20250101/${options.region ?? 'us-east-1'}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    'x-amz-date': '20250101T000000Z',
  };
  const reply = await send('POST', '/', headers, Buffer.from(JSON.stringify(input)));
  const text = reply.body.toString('utf8');
  const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (reply.status >= 300) {
    const code = String(parsed.__type ?? reply.status).split('#').pop()!;
    throw new EmulatorCallError(target, code, String(parsed.message ?? parsed.Message ?? text));
  }
  return parsed as T;
}
