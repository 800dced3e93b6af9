/**
 * Resolving what a command names — a stack output, a queue URL or ARN — into the queue URL
 * (or table name) the SDK needs. Outputs come from CloudFormation `DescribeStacks`, which the
 * local runtime serves for its stack too, so one code path covers AWS, LocalStack and local.
 */
import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A stack's outputs by key. */
export type StackOutputs = ReadonlyMap<string, string>;

/** What separates the URLs of a list output (the demo stack's `DeadLetterQueueUrls`). */
const LIST_SEPARATOR = ',';
const QUEUE_URL = /^https?:\/\/[^/\s]+\/\d{12}\/[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const QUEUE_ARN = /^arn:[a-z-]+:sqs:[a-z0-9-]*:(\d{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;

/** The outputs of stack `stackName`. @throws Error when the stack does not exist */
export async function stackOutputs(cloudFormation: CloudFormationClient, stackName: string): Promise<StackOutputs> {
  const out = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const stack = out.Stacks?.[0];
  if (!stack) throw new Error(`stack ${stackName} not found`);
  return new Map((stack.Outputs ?? []).flatMap((o) => (o.OutputKey && o.OutputValue !== undefined ? [[o.OutputKey, o.OutputValue] as const] : [])));
}

/** True when `value` is an SQS queue URL. */
export function isQueueUrl(value: string): boolean {
  return QUEUE_URL.test(value);
}

/** The queue name at the end of a queue URL or ARN. */
export function queueNameOf(urlOrArn: string): string {
  return urlOrArn.split(/[/:]/).pop() ?? urlOrArn;
}

/**
 * The URL of the queue `ref` names: an output key (of `outputs`) whose value is a queue URL or
 * ARN, or a queue URL or ARN itself.
 *
 * @throws Error naming the outputs when `ref` is none of these
 */
export async function resolveQueueUrl(sqs: SQSClient, outputs: StackOutputs | undefined, ref: string): Promise<string> {
  const value = outputs?.get(ref) ?? ref;
  if (isQueueUrl(value)) return value;
  const arn = QUEUE_ARN.exec(value);
  if (arn) return required((await sqs.send(new GetQueueUrlCommand({ QueueName: arn[2], QueueOwnerAWSAccountId: arn[1] }))).QueueUrl, value);
  const known = outputs ? `; outputs: ${[...outputs.keys()].join(', ')}` : ' (pass --stack to name outputs)';
  throw new Error(`"${ref}" is neither a stack output holding a queue URL or ARN, nor a queue URL or ARN${known}`);
}

/** Every queue URL in the outputs (list outputs split), with the output key it came from. */
export function queueUrlsOf(outputs: StackOutputs): { readonly output: string; readonly url: string }[] {
  const seen = new Set<string>();
  const found: { output: string; url: string }[] = [];
  for (const [output, value] of outputs) {
    for (const url of value.split(LIST_SEPARATOR).map((v) => v.trim())) {
      if (isQueueUrl(url) && !seen.has(url)) {
        seen.add(url);
        found.push({ output, url });
      }
    }
  }
  return found;
}

function required(url: string | undefined, what: string): string {
  if (!url) throw new Error(`no queue URL for ${what}`);
  return url;
}
