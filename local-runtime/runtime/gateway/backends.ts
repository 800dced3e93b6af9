/**
 * Backends that forward to the in-process emulators: SQS (fauxqs) with its queue URLs and
 * timers mapped to the local run, and DynamoDB (dynalite) with the TTL operations dynalite
 * lacks served here.
 */
import type { WireResponse } from '../../scheduling/protocol';
import type { DynamoEmulator } from '../emulators/dynamodb';
import { sendHttp, type HttpReply } from '../emulators/http';
import { scaleQueueAttributes, scaleSeconds, type SqsEmulator } from '../emulators/sqs';
import type { BackendRequest, ServiceBackend } from './server';

const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

function toWire(reply: HttpReply, body = reply.body.toString('utf8')): WireResponse {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(reply.headers)) {
    if (value !== undefined && !HOP_HEADERS.has(key)) headers[key] = Array.isArray(value) ? value.join(',') : value;
  }
  return { status: reply.status, headers, body };
}

function scaleEntry(entry: Record<string, unknown>, timeScale: number): Record<string, unknown> {
  const out = { ...entry };
  for (const key of ['VisibilityTimeout', 'DelaySeconds']) {
    if (typeof out[key] === 'number') out[key] = scaleSeconds(out[key] as number, timeScale);
  }
  return out;
}

/** The SQS input with the gateway's queue URL replaced by the emulator's, timers scaled. */
function sqsInput(input: Record<string, unknown>, sqs: SqsEmulator, timeScale: number): Record<string, unknown> {
  const out = scaleEntry(input, timeScale);
  if (typeof out.QueueUrl === 'string') out.QueueUrl = sqs.toEmulatorUrl(out.QueueUrl);
  if (Array.isArray(out.Entries)) out.Entries = out.Entries.map((e) => scaleEntry(e as Record<string, unknown>, timeScale));
  if (out.Attributes && typeof out.Attributes === 'object') out.Attributes = scaleQueueAttributes(out.Attributes as Record<string, unknown>, timeScale);
  return out;
}

/**
 * The SQS backend.
 *
 * @param sqs the emulator
 * @param gatewayOrigin the gateway's origin (queue URLs handed out point there)
 * @param timeScale factor applied to VisibilityTimeout and DelaySeconds in requests
 */
export function sqsBackend(sqs: SqsEmulator, gatewayOrigin: string, timeScale: number): ServiceBackend {
  return async (request: BackendRequest) => {
    const input = request.identified.protocol === 'json' ? sqsInput(request.identified.input, sqs, timeScale) : undefined;
    const headers = { ...request.headers, host: new URL(gatewayOrigin).host };
    const send = (body: string) => sendHttp(sqs.port, request.method, request.path, headers, Buffer.from(body));
    const reply = input && request.identified.operation === 'ReceiveMessage' ? await longPoll(input, send) : await send(input ? JSON.stringify(input) : request.body);
    if (input && reply.status === 200) trackRuntimeQueues(sqs, request.identified.operation, input, reply.body.toString('utf8'));
    return toWire(reply, sqs.fromEmulatorText(reply.body.toString('utf8'), gatewayOrigin));
  };
}

/** Queues created or deleted through the API at run time work like the template's from then on. */
function trackRuntimeQueues(sqs: SqsEmulator, operation: string, input: Record<string, unknown>, body: string): void {
  if (operation === 'CreateQueue') sqs.remember(String(input.QueueName), (JSON.parse(body) as { QueueUrl: string }).QueueUrl);
  if (operation === 'DeleteQueue' && typeof input.QueueUrl === 'string') sqs.forget(input.QueueUrl.slice(input.QueueUrl.lastIndexOf('/') + 1));
}

/**
 * A ReceiveMessage long poll as SQS answers it: empty only when the wait time has passed.
 * fauxqs wakes every waiting receive when one message arrives and answers the losers empty
 * at once; waiting again for the rest of the time keeps empty receives as rare as on AWS.
 */
async function longPoll(input: Record<string, unknown>, send: (body: string) => Promise<HttpReply>): Promise<HttpReply> {
  const deadline = Date.now() + Number(input.WaitTimeSeconds ?? 0) * 1000;
  for (;;) {
    const reply = await send(JSON.stringify(input));
    const remaining = Math.floor((deadline - Date.now()) / 1000);
    if (reply.status !== 200 || remaining < 1 || reply.body.includes('"Messages"')) return reply;
    input = { ...input, WaitTimeSeconds: remaining };
  }
}

/** The SNS backend: query-protocol requests forwarded to fauxqs as they are. */
export function snsBackend(port: number): ServiceBackend {
  return async (request: BackendRequest) => toWire(await sendHttp(port, request.method, request.path, request.headers, Buffer.from(request.body)));
}

function jsonReply(body: unknown): WireResponse {
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body) };
}

/** The DynamoDB backend; UpdateTimeToLive/DescribeTimeToLive are served from the TTL registry. */
export function dynamoBackend(dynamo: DynamoEmulator): ServiceBackend {
  return async (request: BackendRequest) => {
    const { operation, input } = request.identified;
    const table = String(input.TableName ?? '');
    if (operation === 'UpdateTimeToLive') {
      const spec = input.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean };
      dynamo.setTimeToLive(table, spec.Enabled ? spec.AttributeName : undefined);
      return jsonReply({ TimeToLiveSpecification: spec });
    }
    if (operation === 'DescribeTimeToLive') {
      const attribute = dynamo.timeToLive(table);
      return jsonReply({ TimeToLiveDescription: attribute ? { TimeToLiveStatus: 'ENABLED', AttributeName: attribute } : { TimeToLiveStatus: 'DISABLED' } });
    }
    const reply = await sendHttp(dynamo.port, request.method, request.path, request.headers, Buffer.from(request.body));
    return toWire(reply);
  };
}
