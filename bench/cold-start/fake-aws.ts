/**
 * The AWS endpoint of the cold-start bench: an HTTP server in the bench's own process that
 * answers every call a handler's first invocation makes with a minimal success, so the SDK
 * runs its whole request path (credentials, endpoint rules, signing, serialization, HTTP,
 * response parsing) without network and without an emulator's own start-up in the figure.
 *
 * JSON-protocol services are told apart by `X-Amz-Target`; anything else (S3, Scheduler)
 * gets an empty 200. Every call is counted (`Service.Operation`, or `METHOD/first-segment`), so the bench can check that
 * a kind's first invocation did its AWS work.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

/** A running endpoint. */
export interface FakeAws {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL`. */
  readonly url: string;
  /** Calls answered since the last {@link takeCalls}, as `Service.Operation`, in order. */
  takeCalls(): string[];
  close(): Promise<void>;
}

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** The answer to one JSON-protocol operation. */
function answer(target: string, body: Json): Json {
  switch (target) {
    case 'AmazonSQS.SendMessageBatch':
      return {
        Successful: ((body.Entries ?? []) as Json[]).map((e) => ({ Id: e.Id, MessageId: randomUUID(), MD5OfMessageBody: md5(String(e.MessageBody)) })),
        Failed: [],
      };
    case 'AmazonSQS.SendMessage':
      return { MessageId: randomUUID(), MD5OfMessageBody: md5(String(body.MessageBody)) };
    case 'DynamoDB_20120810.BatchWriteItem':
      return { UnprocessedItems: {} };
    case 'DynamoDB_20120810.BatchGetItem':
      return { Responses: {}, UnprocessedKeys: {} };
    case 'DynamoDB_20120810.Query':
    case 'DynamoDB_20120810.Scan':
      return { Items: [], Count: 0, ScannedCount: 0 };
    case 'AWSEvents.PutEvents':
      return { FailedEntryCount: 0, Entries: ((body.Entries ?? []) as Json[]).map(() => ({ EventId: randomUUID() })) };
    default:
      return {};
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Starts the endpoint on a free loopback port. */
export async function startFakeAws(): Promise<FakeAws> {
  let calls: string[] = [];
  const server: Server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const target = request.headers['x-amz-target'];
      if (typeof target === 'string') {
        calls.push(target.replace('AmazonSQS', 'SQS').replace('DynamoDB_20120810', 'DynamoDB').replace('AWSEvents', 'EventBridge'));
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
        response.end(JSON.stringify(answer(target, text === '' ? {} : (JSON.parse(text) as Json))));
        return;
      }
      // REST services (S3, Scheduler): the method and the first path segment, without names.
      calls.push(`${request.method}/${(request.url ?? '').split(/[/?]/)[1] ?? ''}`);
      response.writeHead(200, { 'content-type': 'application/json', etag: '"cold"', 'x-amzn-requestid': randomUUID() });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    takeCalls: () => {
      const taken = calls;
      calls = [];
      return taken;
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
