/**
 * The queue part of `pp status`: every queue named by the stack's outputs, its depth, and the
 * depth of its dead-letter queue (found through its redrive policy, so a DLQ is shown with the
 * queue it serves rather than as a pattern of its own).
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { queueNameOf } from '../aws/stack';

/** One queue and its dead-letter queue. */
export interface QueueStatus {
  /** Queue name. */
  readonly name: string;
  /** The output key it was found under. */
  readonly output: string;
  readonly url: string;
  /** Messages waiting (ApproximateNumberOfMessages). */
  readonly backlog: number;
  /** Messages received and not yet deleted (ApproximateNumberOfMessagesNotVisible). */
  readonly inFlight: number;
  /** Messages delayed (ApproximateNumberOfMessagesDelayed). */
  readonly delayed: number;
  /** Its dead-letter queue's name and depth, when it has one. */
  readonly deadLetter?: { readonly name: string; readonly url: string; readonly depth: number };
}

interface Depth {
  readonly url: string;
  readonly arn: string;
  readonly backlog: number;
  readonly inFlight: number;
  readonly delayed: number;
  readonly deadLetterArn?: string;
}

/** The status of every queue in `queues` (DLQs folded into their source queue's row). */
export async function queueStatuses(sqs: SQSClient, queues: readonly { readonly output: string; readonly url: string }[]): Promise<QueueStatus[]> {
  const depths = new Map<string, Depth>();
  await Promise.all(queues.map(async (q) => depths.set(q.url, await depthOf(sqs, q.url))));
  const byArn = new Map([...depths.values()].map((d) => [d.arn, d]));
  const deadLetterArns = new Set([...depths.values()].flatMap((d) => (d.deadLetterArn ? [d.deadLetterArn] : [])));
  const rows: QueueStatus[] = [];
  for (const q of queues) {
    const d = depths.get(q.url) as Depth;
    if (deadLetterArns.has(d.arn)) continue;
    const dlq = d.deadLetterArn === undefined ? undefined : (byArn.get(d.deadLetterArn) ?? (await depthOf(sqs, await urlOfArn(sqs, d.deadLetterArn))));
    rows.push({
      name: queueNameOf(q.url), output: q.output, url: q.url, backlog: d.backlog, inFlight: d.inFlight, delayed: d.delayed,
      ...(dlq === undefined ? {} : { deadLetter: { name: queueNameOf(dlq.url), url: dlq.url, depth: dlq.backlog + dlq.inFlight + dlq.delayed } }),
    });
  }
  return rows;
}

async function depthOf(sqs: SQSClient, url: string): Promise<Depth> {
  const { Attributes: a = {} } = await sqs.send(new GetQueueAttributesCommand({
    QueueUrl: url,
    AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'RedrivePolicy'],
  }));
  const redrive = a.RedrivePolicy ? (JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn?: string }) : undefined;
  return {
    url, arn: a.QueueArn ?? '',
    backlog: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
    ...(redrive?.deadLetterTargetArn ? { deadLetterArn: redrive.deadLetterTargetArn } : {}),
  };
}

/** The URL of the queue with ARN `arn`. */
export async function urlOfArn(sqs: SQSClient, arn: string): Promise<string> {
  const parts = arn.split(':');
  const out = await sqs.send(new GetQueueUrlCommand({ QueueName: parts[5], QueueOwnerAWSAccountId: parts[4] }));
  if (!out.QueueUrl) throw new Error(`no queue URL for ${arn}`);
  return out.QueueUrl;
}
