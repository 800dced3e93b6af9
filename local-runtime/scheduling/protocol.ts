/**
 * The wire shapes the local service adapters speak, shared by the Scheduler (REST-JSON),
 * EventBridge (JSON 1.1) and Step Functions (JSON 1.0) adapters.
 *
 * The runtime's HTTP gateway parses a request into a {@link WireRequest} and writes the
 * returned {@link WireResponse} back; the adapters never touch sockets. Errors are encoded
 * the way the AWS SDK v3 parses them: the code in `x-amzn-errortype` and in `__type`.
 */
import { AwsServiceError } from './errors';

/** A parsed HTTP request, as the gateway hands it to a service adapter. */
export interface WireRequest {
  /** The operation when the gateway already knows it (e.g. from `X-Amz-Target`). */
  readonly operation?: string;
  /** HTTP method, e.g. `POST`. */
  readonly method: string;
  /** Request path, optionally with its `?query`. */
  readonly path: string;
  /** Request headers (looked up case-insensitively). */
  readonly headers: Record<string, string>;
  /** The raw request body ('' when none). */
  readonly body: string;
}

/** The HTTP response a service adapter returns to the gateway. */
export interface WireResponse {
  /** HTTP status code. */
  readonly status: number;
  /** Response headers. */
  readonly headers: Record<string, string>;
  /** The response body. */
  readonly body: string;
}

/** An operation handler: takes the parsed JSON input, returns the JSON output. */
export type OperationHandler = (input: Record<string, unknown>) => unknown;

/** Reads a header case-insensitively. */
export function header(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** Parses a JSON request body into an object; '' is `{}`. Throws `SerializationException`. */
export function parseJsonObject(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw new AwsServiceError('SerializationException', 400, `request body is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsServiceError('SerializationException', 400, 'request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Turns any thrown value into an {@link AwsServiceError} (unknown errors become 500s). */
export function toServiceError(err: unknown): AwsServiceError {
  if (err instanceof AwsServiceError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new AwsServiceError('InternalServerException', 500, message);
}

function jsonHeaders(contentType: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': contentType, ...extra };
}

/** A REST-JSON success response. */
export function restJsonResponse(status: number, body: unknown): WireResponse {
  return { status, headers: jsonHeaders('application/json'), body: JSON.stringify(body ?? {}) };
}

/** A REST-JSON error response (the SDK reads the code from `x-amzn-errortype`). */
export function restJsonError(err: unknown): WireResponse {
  const e = toServiceError(err);
  return {
    status: e.status,
    headers: jsonHeaders('application/json', { 'x-amzn-errortype': e.code }),
    body: JSON.stringify({ message: e.message, Message: e.message }),
  };
}

/**
 * Serves an AWS JSON 1.0/1.1 protocol request: the operation comes from `req.operation` or
 * the `X-Amz-Target: <prefix>.<Operation>` header.
 */
export async function serveAwsJson(
  req: WireRequest,
  version: '1.0' | '1.1',
  targetPrefix: string,
  operations: Record<string, OperationHandler>,
): Promise<WireResponse> {
  const contentType = `application/x-amz-json-${version}`;
  try {
    const operation = req.operation ?? header(req.headers, 'x-amz-target')?.replace(`${targetPrefix}.`, '');
    const handler = operation !== undefined && Object.hasOwn(operations, operation) ? operations[operation] : undefined;
    if (!handler) {
      throw new AwsServiceError('UnknownOperationException', 400, `operation ${String(operation)} is not served locally`);
    }
    const output = await handler(parseJsonObject(req.body));
    return { status: 200, headers: jsonHeaders(contentType), body: JSON.stringify(output ?? {}) };
  } catch (err) {
    const e = toServiceError(err);
    return {
      status: e.status,
      headers: jsonHeaders(contentType, { 'x-amzn-errortype': e.code }),
      body: JSON.stringify({ __type: e.code, message: e.message }),
    };
  }
}

/** Epoch milliseconds to the epoch-seconds number the JSON protocols use for timestamps. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** An opaque pagination token: the index of the next item. */
export function pageOf<T>(items: readonly T[], maxResults: unknown, nextToken: unknown, cap: number): { page: T[]; next?: string } {
  const start = typeof nextToken === 'string' && /^\d+$/.test(nextToken) ? Number(nextToken) : 0;
  const size = typeof maxResults === 'number' && maxResults > 0 ? Math.min(maxResults, cap) : cap;
  const page = items.slice(start, start + size);
  return start + size < items.length ? { page, next: String(start + size) } : { page };
}
