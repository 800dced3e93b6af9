/**
 * Tells which service, operation and caller an incoming AWS request is, from the headers and
 * body alone: the caller is the access key ID in the SigV4 `Authorization` header, the
 * service its credential scope, the operation `X-Amz-Target` (JSON protocols), `Action`
 * (query protocol) or the method and path (REST-JSON).
 */
import { s3Route } from './s3-routes';

/** The wire protocol a request speaks (it decides the error shape). */
export type Protocol = 'json' | 'query' | 'rest-json';

/** What the gateway knows about a request before serving it. */
export interface IdentifiedRequest {
  /** The signing name of the service, e.g. `sqs`, `dynamodb`, `states`, `scheduler`. */
  readonly service: string;
  /** The operation, e.g. `SendMessageBatch`. */
  readonly operation: string;
  /** The access key ID the request was signed with ('' when unsigned). */
  readonly accessKeyId: string;
  /** The region of the credential scope. */
  readonly region: string;
  readonly protocol: Protocol;
  /** The JSON version of a JSON-protocol request. */
  readonly jsonVersion?: '1.0' | '1.1';
  /** The parsed body: JSON object, or the form fields of a query request. */
  readonly input: Record<string, unknown>;
}

const CREDENTIAL = /Credential=([^/,\s]*)\/\d{8}\/([^/]+)\/([^/]+)\//;

/** REST-JSON routes: [service, method, path pattern, operation]. */
const REST_ROUTES: readonly [string, string, RegExp, string][] = [
  ['scheduler', 'POST', /^\/schedules\/[^/]+$/, 'CreateSchedule'],
  ['scheduler', 'GET', /^\/schedules\/[^/]+$/, 'GetSchedule'],
  ['scheduler', 'PUT', /^\/schedules\/[^/]+$/, 'UpdateSchedule'],
  ['scheduler', 'DELETE', /^\/schedules\/[^/]+$/, 'DeleteSchedule'],
  ['scheduler', 'GET', /^\/schedules$/, 'ListSchedules'],
  ['scheduler', 'POST', /^\/schedule-groups\/[^/]+$/, 'CreateScheduleGroup'],
  ['scheduler', 'GET', /^\/schedule-groups\/[^/]+$/, 'GetScheduleGroup'],
  ['scheduler', 'DELETE', /^\/schedule-groups\/[^/]+$/, 'DeleteScheduleGroup'],
  ['scheduler', 'GET', /^\/schedule-groups$/, 'ListScheduleGroups'],
  ['lambda', 'POST', /^\/2015-03-31\/functions\/[^/]+\/invocations$/, 'Invoke'],
  ['lambda', 'GET', /^\/2015-03-31\/functions\/?$/, 'ListFunctions'],
  ['lambda', 'GET', /^\/2015-03-31\/functions\/[^/]+$/, 'GetFunction'],
  ['lambda', 'GET', /^\/2015-03-31\/functions\/[^/]+\/configuration$/, 'GetFunctionConfiguration'],
];

function restOperation(service: string, method: string, path: string): string {
  const route = REST_ROUTES.find(([s, m, p]) => s === service && m === method && p.test(path));
  return route?.[3] ?? `${method} ${path}`;
}

function parseJson(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    // A malformed body is the emulator's to reject, in its own words.
    return {};
  }
}

/**
 * Identifies a request.
 *
 * @param method the HTTP method
 * @param url the path and query
 * @param headers lower-cased request headers
 * @param body the body as text
 * @param parsed the JSON body already parsed, if the caller has it
 */
export function identifyRequest(method: string, url: string, headers: Record<string, string>, body: string, parsed?: Record<string, unknown>): IdentifiedRequest {
  const credential = CREDENTIAL.exec(headers.authorization ?? '');
  const accessKeyId = credential?.[1] ?? '';
  const region = credential?.[2] ?? 'us-east-1';
  const contentType = headers['content-type'] ?? '';
  if (credential?.[3] === 's3') {
    const route = s3Route(method, url);
    // S3 answers errors in XML (<Error><Code>…), the shape the query protocol's errors take here.
    return { service: 's3', operation: route.operation, accessKeyId, region, protocol: 'query', input: { ...route.params } };
  }
  const target = headers['x-amz-target'];
  if (target) {
    const dot = target.lastIndexOf('.');
    const service = credential?.[3] ?? serviceOfTarget(target.slice(0, dot));
    const jsonVersion = contentType.includes('1.1') ? '1.1' : '1.0';
    return { service, operation: target.slice(dot + 1), accessKeyId, region, protocol: 'json', jsonVersion, input: parsed ?? parseJson(body) };
  }
  if (contentType.includes('x-www-form-urlencoded')) {
    const input = Object.fromEntries(new URLSearchParams(body));
    return { service: credential?.[3] ?? 'sns', operation: String(input.Action ?? 'Unknown'), accessKeyId, region, protocol: 'query', input };
  }
  const path = url.split('?')[0]!;
  const service = credential?.[3] ?? 'unknown';
  return { service, operation: restOperation(service, method, path), accessKeyId, region, protocol: 'rest-json', input: parseJson(body) };
}

function serviceOfTarget(prefix: string): string {
  const known: Record<string, string> = { AmazonSQS: 'sqs', DynamoDB_20120810: 'dynamodb', AWSStepFunctions: 'states', AWSEvents: 'events' };
  return known[prefix] ?? prefix.toLowerCase();
}
