/**
 * Error answers in each protocol's wire shape, so the AWS SDK in a handler parses them into
 * the same error class (and retry decision) it would get from AWS.
 */
import type { WireResponse } from '../../scheduling/protocol';
import type { IdentifiedRequest } from './identify';

/** An error to answer with, in AWS's own vocabulary. */
export interface WireError {
  /** The JSON `__type` / REST `x-amzn-errortype` code, e.g. `AccessDeniedException`. */
  readonly code: string;
  /** The code the query protocol (and SQS's query-compatible header) uses, e.g. `AccessDenied`. */
  readonly queryCode: string;
  /** HTTP status for JSON protocols. */
  readonly jsonStatus: number;
  /** HTTP status for REST-JSON and query protocols. */
  readonly restStatus: number;
  readonly message: string;
}

/** The error shape of `request`'s protocol. */
export function errorResponse(request: IdentifiedRequest, error: WireError): WireResponse {
  if (request.protocol === 'query') {
    const xml = `<ErrorResponse><Error><Type>Sender</Type><Code>${error.queryCode}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>local</RequestId></ErrorResponse>`;
    return { status: error.restStatus, headers: { 'content-type': 'text/xml' }, body: xml };
  }
  if (request.protocol === 'rest-json') {
    return { status: error.restStatus, headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.code }, body: JSON.stringify({ message: error.message, Message: error.message }) };
  }
  const headers: Record<string, string> = { 'content-type': `application/x-amz-json-${request.jsonVersion ?? '1.0'}` };
  // SQS speaks JSON in query-compatible mode: the SDK takes the error code from this header.
  if (request.service === 'sqs') headers['x-amzn-query-error'] = `${error.queryCode};Sender`;
  const type = request.service === 'sqs' || request.service === 'dynamodb' ? `com.amazon.coral.service#${error.code}` : error.code;
  return { status: error.jsonStatus, headers, body: JSON.stringify({ __type: type, message: error.message, Message: error.message }) };
}

/** The throttling answer of a service (codes the SDK's retry strategy treats as throttling). */
export function throttled(service: string): WireError {
  const codes: Record<string, [string, string]> = {
    sqs: ['RequestThrottled', 'RequestThrottled'],
    dynamodb: ['ThrottlingException', 'ThrottlingException'],
    sns: ['Throttling', 'Throttling'],
  };
  const [code, queryCode] = codes[service] ?? ['ThrottlingException', 'ThrottlingException'];
  return { code, queryCode, jsonStatus: 400, restStatus: 429, message: `Rate exceeded (injected by the local runtime for ${service})` };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
