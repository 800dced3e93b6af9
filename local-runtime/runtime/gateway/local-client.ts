/**
 * An in-process AWS JSON client for the runtime's own callers (event source mapping pollers,
 * rule and schedule deliveries): requests go through {@link Gateway.serve} — identified,
 * counted and authorized like any other — without a socket or an SDK in between.
 */
import { LocalRuntimeError } from '../errors';
import type { Gateway } from './server';

/** An AWS error answered to a {@link LocalAwsClient} call. */
export class LocalCallError extends LocalRuntimeError {
  /** The AWS error code, e.g. `AccessDeniedException`, `RequestThrottled`. */
  public readonly code: string;
  /** The HTTP status. */
  public readonly status: number;

  /**
   * @param operation the operation called
   * @param code the error code
   * @param status the HTTP status
   * @param message the service's message
   */
  constructor(operation: string, code: string, status: number, message: string) {
    super(`${operation}: ${code}: ${message}`);
    this.code = code;
    this.status = status;
  }
}

const TARGET_PREFIX: Record<string, [string, string]> = {
  sqs: ['AmazonSQS', '1.0'],
  dynamodb: ['DynamoDB_20120810', '1.0'],
  states: ['AWSStepFunctions', '1.0'],
  events: ['AWSEvents', '1.1'],
};

/** Calls JSON-protocol operations through the gateway as one principal. */
export class LocalAwsClient {
  /**
   * @param gateway the gateway
   * @param accessKeyId the caller's access key ID (`poller`, `driver`, a function's key…)
   * @param region the region of the credential scope
   */
  constructor(
    private readonly gateway: Gateway,
    private readonly accessKeyId: string,
    private readonly region: string,
  ) {}

  /**
   * Calls an operation.
   *
   * @param service `sqs`, `dynamodb`, `states` or `events`
   * @param operation e.g. `ReceiveMessage`
   * @param input the request body
   * @throws LocalCallError with the service's error code
   */
  public async call<T = Record<string, unknown>>(service: string, operation: string, input: unknown): Promise<T> {
    const [prefix, version] = TARGET_PREFIX[service] ?? [service, '1.0'];
    const headers = {
      host: this.gateway.host,
      'content-type': `application/x-amz-json-${version}`,
      'x-amz-target': `${prefix}.${operation}`,
      authorization: `AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/20250101/${this.region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      'x-amz-date': '20250101T000000Z',
    };
    const body = JSON.stringify(input);
    // The gateway identifies the request from the object itself, not from parsing `body` back.
    const reply = await this.gateway.serve('POST', '/', headers, body, isRecord(input) ? input : undefined);
    const parsed = (reply.body ? JSON.parse(reply.body) : {}) as Record<string, unknown>;
    if (reply.status >= 300) {
      const code = reply.headers['x-amzn-query-error']?.split(';')[0] ?? String(parsed.__type ?? reply.status).split('#').pop()!;
      throw new LocalCallError(operation, code, reply.status, String(parsed.message ?? parsed.Message ?? reply.body));
    }
    return parsed as T;
  }

  /**
   * Calls a query-protocol operation (SNS) and returns the XML answer's text.
   *
   * @param service the signing name, e.g. `sns`
   * @param fields the form fields, `Action` included
   * @throws LocalCallError with the service's error code
   */
  public async callQuery(service: string, fields: Readonly<Record<string, string>>): Promise<string> {
    const headers = {
      host: this.gateway.host,
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/20250101/${this.region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      'x-amz-date': '20250101T000000Z',
    };
    const reply = await this.gateway.serve('POST', '/', headers, new URLSearchParams(fields).toString());
    if (reply.status >= 300) {
      const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(reply.body)?.[1];
      throw new LocalCallError(fields.Action ?? 'Unknown', field('Code') ?? String(reply.status), reply.status, field('Message') ?? reply.body);
    }
    return reply.body;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
