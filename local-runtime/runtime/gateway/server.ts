/**
 * The gateway: the one local HTTP endpoint every function's SDK (and the runtime's driver and
 * pollers) talks to. Each request is identified, counted, authorized against the caller's
 * IAM policies, possibly throttled by fault injection, then served by the service's backend
 * (an emulator behind a forwarder, or a local service adapter).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireRequest, WireResponse } from '../../scheduling/protocol';
import type { RequestCounter } from '../accounting/request-counter';
import type { FaultInjector } from '../faults/fault-injector';
import { firstDenied, iamChecksFor, type IamService } from '../../iam';
import { errorResponse, throttled } from './error-shapes';
import { identifyRequest, type IdentifiedRequest } from './identify';
import type { Principal, PrincipalDirectory } from './principals';

/** A request as a backend receives it. */
export interface BackendRequest extends WireRequest {
  /** What the gateway identified. */
  readonly identified: IdentifiedRequest;
  /** Who sent it. */
  readonly principal: Principal;
}

/** Serves the requests of one service. */
export type ServiceBackend = (request: BackendRequest) => Promise<WireResponse>;

/** Collaborators of the {@link Gateway}. */
export interface GatewayOptions {
  readonly principals: PrincipalDirectory;
  readonly counter: RequestCounter;
  readonly faults: FaultInjector;
  /** The region and account ARNs are built in. */
  readonly arns: { readonly region: string; readonly accountId: string };
}

/** The local AWS endpoint. */
export class Gateway {
  private readonly backends = new Map<string, ServiceBackend>();
  private readonly sequence = new Map<string, number>();
  private readonly observers = new Set<(request: IdentifiedRequest, principal: string) => void>();
  private server?: Server;
  private port = 0;

  /** @param options principals, counter, faults, ARN context */
  constructor(private readonly options: GatewayOptions) {}

  /** The gateway's origin, e.g. `http://127.0.0.1:41234` (after {@link start}). */
  public get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The gateway's `host:port`. */
  public get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Installs the backend of a service signing name (`sqs`, `dynamodb`, `states`, …). */
  public setBackend(service: string, backend: ServiceBackend): void {
    this.backends.set(service, backend);
  }

  /**
   * Calls `observer` with every served request and its caller, once counted: for a bench that
   * tells apart requests of one operation by their input (a `Select: COUNT` query, say).
   * @returns a function that removes the observer
   */
  public observe(observer: (request: IdentifiedRequest, principal: string) => void): () => void {
    this.observers.add(observer);
    return () => void this.observers.delete(observer);
  }

  /** Listens on 127.0.0.1 and `port` (0: an ephemeral port). */
  public async start(port = 0): Promise<void> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Stops listening and drops idle keep-alive connections. */
  public async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /**
   * Serves one request (the HTTP server calls this; exposed for in-process callers).
   *
   * @param input the JSON body already parsed, when the in-process caller has it (saves parsing `body` again)
   * @returns the response, already counted
   */
  public async serve(method: string, url: string, headers: Record<string, string>, body: string, input?: Record<string, unknown>): Promise<WireResponse> {
    const identified = identifyRequest(method, url, headers, body, input);
    const principal = this.options.principals.lookup(identified.accessKeyId);
    const { counter } = this.options;
    const denial = this.denial(principal, identified, url);
    if (denial) {
      counter.record(principal.name, identified.service, identified.operation, 'denied');
      return denial;
    }
    if (principal.kind === 'function' && this.throttles(principal, identified)) {
      counter.record(principal.name, identified.service, identified.operation, 'throttled');
      return errorResponse(identified, throttled(identified.service));
    }
    const backend = this.backends.get(identified.service);
    const response = backend
      ? await backend({ method, path: url, headers, body, operation: identified.operation, identified, principal })
      : errorResponse(identified, { code: 'UnknownOperationException', queryCode: 'InvalidAction', jsonStatus: 400, restStatus: 404, message: `service "${identified.service}" is not emulated locally` });
    counter.record(principal.name, identified.service, identified.operation, 'served', isEmptyReceive(identified, response));
    for (const observer of this.observers) observer(identified, principal.name);
    return response;
  }

  private denial(principal: Principal, identified: IdentifiedRequest, url: string): WireResponse | undefined {
    if (!principal.evaluator || !IAM_SERVICES.has(identified.service)) return undefined;
    const params = { ...pathParams(identified.service, url), ...identified.input };
    const checks = iamChecksFor(identified.service as IamService, identified.operation, params, this.options.arns);
    // Requests reach AWS over TLS; conditions on aws:SecureTransport must see it.
    const denied = firstDenied(principal.evaluator, checks, principal.arn, { 'aws:SecureTransport': 'true' });
    if (!denied) return undefined;
    const queryCode = identified.service === 'sns' ? 'AuthorizationError' : 'AccessDenied';
    return errorResponse(identified, { code: 'AccessDeniedException', queryCode, jsonStatus: 400, restStatus: 403, message: denied.message });
  }

  private throttles(principal: Principal, identified: IdentifiedRequest): boolean {
    const key = `${principal.name}\u0000${identified.service}`;
    const n = (this.sequence.get(key) ?? 0) + 1;
    this.sequence.set(key, n);
    return this.options.faults.throttle(identified.service, principal.name, n);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
      const out = await this.serve(req.method ?? 'GET', req.url ?? '/', headers, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(out.status, { ...out.headers, 'content-length': Buffer.byteLength(out.body) });
      res.end(out.body);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ __type: 'InternalFailure', message: `local gateway: ${(err as Error).message}` }));
    }
  }
}

const IAM_SERVICES = new Set(['sqs', 'dynamodb', 'scheduler', 'states', 'events', 'lambda', 'sns', 's3']);

/** REST-JSON parameters that travel in the path and query (schedule name and group, function name). */
function pathParams(service: string, url: string): Record<string, unknown> {
  const [path = '', query = ''] = url.split('?');
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  const groupName = new URLSearchParams(query).get('groupName') ?? undefined;
  if (service === 'scheduler' && segments[0] === 'schedules' && segments[1]) return { Name: segments[1], ...(groupName ? { GroupName: groupName } : {}) };
  if (service === 'lambda' && segments[1] === 'functions' && segments[2]) return { FunctionName: segments[2] };
  return {};
}

function isEmptyReceive(identified: IdentifiedRequest, response: WireResponse): boolean {
  if (identified.service !== 'sqs' || identified.operation !== 'ReceiveMessage' || response.status !== 200) return false;
  // A query-protocol caller (e.g. SDK v2 in a user's bundle) gets XML: parsing it as JSON would
  // turn a served receive into a 500, leaving its messages in flight and the request uncounted.
  if (identified.protocol === 'query') return !response.body.includes('<Message>');
  // Every received message has a "MessageId" key, and no string inside the JSON can spell it
  // (its quotes would be escaped): a text search answers without parsing the whole receive.
  return !response.body.includes('"MessageId"');
}
