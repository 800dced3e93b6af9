/**
 * Starts an in-process fauxqs (SQS emulator) on 127.0.0.1 with an ephemeral port, for tests.
 *
 * fauxqs' own start helper binds 0.0.0.0, so this builds its app and listens on loopback only.
 * Its queue URLs use the host `sqs.<region>.localhost`, which does not resolve: SDK clients
 * must be given the returned `endpoint` explicitly (the JSON protocol then carries the queue
 * URL in the body, so the URL's host is never dialled).
 */
import { buildApp } from 'fauxqs';

/** Fake credentials and region for SDK clients pointed at a local emulator. */
export const TEST_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
} as const;

/** A running fauxqs server. */
export interface FauxqsServer {
  /** Base URL to give SDK clients as `endpoint`, e.g. `http://127.0.0.1:40123`. */
  readonly endpoint: string;
  /** Client config (endpoint, region, fake credentials) for `new SQSClient(...)`. */
  readonly clientConfig: { readonly endpoint: string } & typeof TEST_AWS;
  /** Stops the server and drops its connections. */
  close(): Promise<void>;
}

/** Options of {@link startFauxqs}. */
export interface StartFauxqsOptions {
  /** Region used in queue ARNs and URLs. @default 'us-east-1' */
  readonly region?: string;
}

/** Starts fauxqs on 127.0.0.1:0; call `close()` in `afterAll`. */
export async function startFauxqs(options: StartFauxqsOptions = {}): Promise<FauxqsServer> {
  const region = options.region ?? TEST_AWS.region;
  const app = buildApp({ logger: false, defaultRegion: region });
  const endpoint = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    endpoint,
    clientConfig: { ...TEST_AWS, region, endpoint } as FauxqsServer['clientConfig'],
    close: async () => {
      await app.close();
    },
  };
}
