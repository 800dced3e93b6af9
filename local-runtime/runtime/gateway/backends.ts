/**
 * Backends that forward to the in-process emulators: SQS (fauxqs) with its queue URLs mapped
 * to the local run and its long polls on the runtime clock, and DynamoDB (dynalite) with the
 * TTL operations dynalite lacks served here.
 */
import { type Clock, RealClock } from '../../scheduling/clock';
import type { WireResponse } from '../../scheduling/protocol';
import type { DynamoEmulator } from '../emulators/dynamodb';
import { sendHttp, type HttpReply } from '../emulators/http';
import type { SqsEmulator } from '../emulators/sqs';
import type { BackendRequest, ServiceBackend } from './server';

const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

function toWire(reply: HttpReply, body = reply.body.toString('utf8')): WireResponse {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(reply.headers)) {
    if (value !== undefined && !HOP_HEADERS.has(key)) headers[key] = Array.isArray(value) ? value.join(',') : value;
  }
  return { status: reply.status, headers, body };
}

/** The SQS input with the gateway's queue URL replaced by the emulator's. */
function sqsInput(input: Record<string, unknown>, sqs: SqsEmulator): Record<string, unknown> {
  return typeof input.QueueUrl === 'string' ? { ...input, QueueUrl: sqs.toEmulatorUrl(input.QueueUrl) } : input;
}

/**
 * The SQS backend.
 *
 * @param sqs the emulator (its timers follow `clock`)
 * @param gatewayOrigin the gateway's origin (queue URLs handed out point there)
 * @param clock the runtime clock, which long-poll waits follow
 */
export function sqsBackend(sqs: SqsEmulator, gatewayOrigin: string, clock: Clock): ServiceBackend {
  return async (request: BackendRequest) => {
    const input = request.identified.protocol === 'json' ? sqsInput(request.identified.input, sqs) : undefined;
    const headers = { ...request.headers, host: new URL(gatewayOrigin).host };
    const send = (body: string) => sqs.request(request.method, request.path, headers, body);
    const reply = input && request.identified.operation === 'ReceiveMessage' ? await longPoll(input, sqs, clock, send) : await send(input ? JSON.stringify(input) : request.body);
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
 * Longest wall wait handed to fauxqs at once when the clock is not a (scaled) wall clock: a
 * manual clock may jump past the wait at any moment, and the next slice sees it.
 */
const MANUAL_CLOCK_SLICE_MS = 100;

/** The wall milliseconds fauxqs should wait for `clockMs` of the runtime clock to pass. */
function wallWaitMs(clock: Clock, clockMs: number): number {
  if (clock instanceof RealClock) return clockMs * clock.timeScale;
  return Math.min(clockMs, MANUAL_CLOCK_SLICE_MS);
}

/**
 * A ReceiveMessage long poll as SQS answers it: empty only when the wait time has passed on the
 * runtime clock. fauxqs waits in wall time, so the wait is handed to it in wall slices (the
 * whole of it, scaled, for a scaled wall clock) until a message comes or the clock passes the
 * deadline. fauxqs also wakes every waiting receive when one message arrives and answers the
 * losers empty at once; waiting again for the rest of the time keeps empty receives as rare as
 * on AWS. A receive without WaitTimeSeconds waits the queue's ReceiveMessageWaitTimeSeconds.
 */
async function longPoll(input: Record<string, unknown>, sqs: SqsEmulator, clock: Clock, send: (body: string) => Promise<HttpReply>): Promise<HttpReply> {
  const waitSeconds = input.WaitTimeSeconds ?? (typeof input.QueueUrl === 'string' ? await sqs.receiveWaitSeconds(input.QueueUrl) : 0);
  // A wait SQS refuses goes through as sent, for fauxqs to answer the error.
  if (!(typeof waitSeconds === 'number' && waitSeconds >= 0 && waitSeconds <= 20)) return send(JSON.stringify(input));
  const deadline = clock.now() + Number(waitSeconds) * 1000;
  for (;;) {
    const remaining = deadline - clock.now();
    const reply = await send(JSON.stringify({ ...input, WaitTimeSeconds: remaining > 0 ? wallWaitMs(clock, remaining) / 1000 : 0 }));
    if (reply.status !== 200 || deadline - clock.now() <= 0 || reply.body.includes('"Messages"')) return reply;
  }
}

/** The SNS backend: query-protocol requests forwarded as they are to fauxqs (the SQS emulator serves SNS too). */
export function snsBackend(sqs: SqsEmulator): ServiceBackend {
  return async (request: BackendRequest) => toWire(await sqs.request(request.method, request.path, request.headers, request.body));
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
