/**
 * A tiny HTTP front for a service adapter's `handle`, so tests can point the real AWS SDK v3
 * client at it. Test-only: the runtime's own gateway does this job in production code.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { WireRequest, WireResponse } from '../../../local-runtime/scheduling/protocol';

/** A started wire server: its endpoint and how to stop it. */
export interface WireServer {
  readonly endpoint: string;
  /** Every request the server handled, in order. */
  readonly requests: WireRequest[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 with an OS-chosen port that forwards to `handle`. */
export async function startWireServer(handle: (req: WireRequest) => Promise<WireResponse>): Promise<WireServer> {
  const requests: WireRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const wire: WireRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(wire);
      void handle(wire).then((out) => {
        res.writeHead(out.status, out.headers);
        res.end(out.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** Client settings for a local endpoint: fixed region and dummy credentials. */
export function localClientConfig(endpoint: string) {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 };
}

/** Settings returned by {@link localClientConfig}. */
export type LocalClientConfig = ReturnType<typeof localClientConfig>;

/**
 * Call inside a `describe`: serves `handle` on a {@link startWireServer} for the describe's tests
 * and points a real SDK client at it, both started in `beforeAll` and closed in `afterAll`.
 * Read `client` only from hooks and tests, once `beforeAll` has run.
 *
 * @param handle the service adapter's request handler
 * @param makeClient builds the SDK client from the local settings
 */
export function useWireClient<C extends { destroy(): void }>(
  handle: (req: WireRequest) => Promise<WireResponse>,
  makeClient: (config: LocalClientConfig) => C,
): { readonly client: C } {
  let server: WireServer | undefined;
  let client: C | undefined;
  beforeAll(async () => {
    server = await startWireServer(handle);
    client = makeClient(localClientConfig(server.endpoint));
  });
  afterAll(async () => {
    client?.destroy();
    await server?.close();
  });
  return {
    get client(): C {
      if (client === undefined) throw new Error('useWireClient: client read before beforeAll ran');
      return client;
    },
  };
}
