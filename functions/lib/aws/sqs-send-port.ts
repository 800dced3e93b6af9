/**
 * SendMessageBatch adapter for the runtime's {@link QueueSendPort}.
 *
 * The SQS client package is imported on the first send, not when the handler loads: most
 * handlers send only to a dead-letter queue, and one that never does never pays for loading
 * the client (measured by `npm run bench -- cold-start`). One SQS client per process, built on
 * first use and reused by every invocation. It takes its region, credentials and endpoint
 * from the standard AWS environment, so `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_SQS` point it
 * at a local emulator without code changes.
 */
import type { MessageAttributeValue, SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { typedAttribute, type AttributeValue, type QueueSendPort, type SendBatchResult, type SendEntry } from '../queue-port';

let sqsPackage: Promise<typeof import('@aws-sdk/client-sqs')> | undefined;
let sharedClient: Promise<SQSClient> | undefined;

/** The SQS client package, imported once, on first use. */
function loadSqs(): Promise<typeof import('@aws-sdk/client-sqs')> {
  return (sqsPackage ??= import('@aws-sdk/client-sqs'));
}

/**
 * The process-wide SQS client, configured from the environment.
 *
 * When an endpoint is set through the environment, requests go to it even though queue URLs
 * name another host: the SDK otherwise dials the queue URL's host, which for local emulators
 * (`sqs.<region>.localhost`) does not resolve.
 */
export function sharedSqsClient(): Promise<SQSClient> {
  const endpointFromEnv = Boolean(process.env.AWS_ENDPOINT_URL_SQS || process.env.AWS_ENDPOINT_URL);
  return (sharedClient ??= loadSqs().then(({ SQSClient }) => new SQSClient(endpointFromEnv ? { useQueueUrlAsEndpoint: false } : {})));
}

/** A {@link QueueSendPort} that sends to `queueUrl` with SendMessageBatch. */
export function sqsSendPort(queueUrl: string, client?: SQSClient): QueueSendPort {
  return {
    async sendBatch(entries: readonly SendEntry[]): Promise<SendBatchResult> {
      const [{ SendMessageBatchCommand }, sqs] = await Promise.all([loadSqs(), client ?? sharedSqsClient()]);
      const output = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries.map(toRequestEntry) }));
      const failed = (output.Failed ?? []).map((entry) => ({
        id: entry.Id ?? '',
        code: entry.Code ?? 'UnknownError',
        message: entry.Message ?? '',
        senderFault: entry.SenderFault === true,
      }));
      // An entry SQS neither accepted nor failed is treated as failed (retryable), never as sent.
      const answered = new Set([...(output.Successful ?? []).map((entry) => entry.Id), ...failed.map((entry) => entry.id)]);
      const missing = entries
        .filter((entry) => !answered.has(entry.id))
        .map((entry) => ({ id: entry.id, code: 'MissingFromResponse', message: 'SQS did not report this entry', senderFault: false }));
      return { failed: [...failed, ...missing] };
    },
  };
}

function toRequestEntry(entry: SendEntry): SendMessageBatchRequestEntry {
  const attributes = Object.entries(entry.attributes ?? {});
  return {
    Id: entry.id,
    MessageBody: entry.body,
    ...(attributes.length === 0
      ? {}
      : { MessageAttributes: Object.fromEntries(attributes.map(([name, value]) => [name, toRequestAttribute(value)])) }),
    ...(entry.delaySeconds === undefined ? {} : { DelaySeconds: entry.delaySeconds }),
    ...(entry.messageGroupId === undefined ? {} : { MessageGroupId: entry.messageGroupId }),
    ...(entry.messageDeduplicationId === undefined ? {} : { MessageDeduplicationId: entry.messageDeduplicationId }),
  };
}

function toRequestAttribute(value: AttributeValue): MessageAttributeValue {
  const typed = typedAttribute(value);
  return {
    DataType: typed.dataType,
    ...(typed.stringValue === undefined ? {} : { StringValue: typed.stringValue }),
    ...(typed.binaryValue === undefined ? {} : { BinaryValue: typed.binaryValue }),
  };
}
