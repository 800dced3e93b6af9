/**
 * SNS on fauxqs (same server as SQS): the template's topics and their SQS subscriptions
 * (raw delivery and filter policies honoured by fauxqs). Subscriptions of other protocols
 * are not delivered locally and are reported.
 */
import { EmulatorCallError, type EmulatorTransport } from './http';

/** A topic to create. */
export interface TopicSpec {
  readonly name: string;
  readonly attributes: Record<string, string>;
}

/** A subscription to create. */
export interface SubscriptionSpec {
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly attributes: Record<string, string>;
}

function form(action: string, params: Record<string, string>, attributes: Record<string, string>): string {
  const entries = Object.entries(attributes).flatMap(([key, value], i): [string, string][] => [
    [`Attributes.entry.${i + 1}.key`, key],
    [`Attributes.entry.${i + 1}.value`, value],
  ]);
  return new URLSearchParams([['Action', action], ...Object.entries(params), ...entries]).toString();
}

async function call(send: EmulatorTransport, region: string, body: string): Promise<void> {
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    authorization: `AWS4-HMAC-SHA256 Credential=observer/20250101/${region}/sns/aws4_request, SignedHeaders=host, Signature=0`,
  };
  const reply = await send('POST', '/', headers, Buffer.from(body));
  if (reply.status >= 300) throw new EmulatorCallError(body.split('&')[0]!, String(reply.status), reply.body.toString('utf8'));
}

/** `AWS::SNS::Topic` properties → CreateTopic attributes. */
export function topicAttributes(props: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['FifoTopic', 'ContentBasedDeduplication']) if (props[key] !== undefined) out[key] = String(props[key]);
  return out;
}

/** `AWS::SNS::Subscription` properties → Subscribe attributes. */
export function subscriptionAttributes(props: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  if (props.RawMessageDelivery !== undefined) out.RawMessageDelivery = String(props.RawMessageDelivery);
  if (props.FilterPolicy !== undefined) out.FilterPolicy = typeof props.FilterPolicy === 'string' ? props.FilterPolicy : JSON.stringify(props.FilterPolicy);
  if (props.FilterPolicyScope !== undefined) out.FilterPolicyScope = String(props.FilterPolicyScope);
  return out;
}

/** Creates the topics, then the subscriptions, on fauxqs (reached through `send`). */
export async function provisionSns(send: EmulatorTransport, region: string, topics: readonly TopicSpec[], subscriptions: readonly SubscriptionSpec[]): Promise<void> {
  for (const topic of topics) await call(send, region, form('CreateTopic', { Name: topic.name }, topic.attributes));
  for (const s of subscriptions) {
    await call(send, region, form('Subscribe', { TopicArn: s.topicArn, Protocol: s.protocol, Endpoint: s.endpoint }, s.attributes));
  }
}
