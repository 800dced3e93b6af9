/**
 * Reads what to provision out of the resolved template: the queues and tables the emulators
 * create, the dead-letter queues the accounting watches, the event source mappings the
 * pollers run.
 */
import { parseEventPattern } from '../scheduling/event-pattern';
import { tableSpec, type TableSpec } from './emulators/dynamodb';
import { subscriptionAttributes, topicAttributes, type SubscriptionSpec, type TopicSpec } from './emulators/sns';
import { queueAttributes, type QueueSpec } from './emulators/sqs';
import { ProvisioningError } from './errors';
import type { SqsMappingSpec } from './esm/sqs-poller';
import type { ResourceCatalog } from './template/catalog';

/** The queues of the stack (time-valued attributes in runtime-clock seconds, as written). */
export function queueSpecs(catalog: ResourceCatalog): QueueSpec[] {
  return catalog.ofType('AWS::SQS::Queue').map(([id]) => ({ name: catalog.physicalName(id), attributes: queueAttributes(catalog.properties(id)) }));
}

/** The tables of the stack (`Table` and `GlobalTable`). */
export function tableSpecs(catalog: ResourceCatalog): TableSpec[] {
  const ids = [...catalog.ofType('AWS::DynamoDB::Table'), ...catalog.ofType('AWS::DynamoDB::GlobalTable')].map(([id]) => id);
  return ids.map((id) => tableSpec(catalog.physicalName(id), catalog.properties(id)));
}

/** The topics of the stack. */
export function topicSpecs(catalog: ResourceCatalog): TopicSpec[] {
  return catalog.ofType('AWS::SNS::Topic').map(([id]) => ({ name: catalog.physicalName(id), attributes: topicAttributes(catalog.properties(id)) }));
}

/**
 * The SQS subscriptions of the stack (topics' inline `Subscription` lists included); other
 * protocols are reported in `warnings`.
 */
export function subscriptionSpecs(catalog: ResourceCatalog, warnings: string[]): SubscriptionSpec[] {
  const specs: SubscriptionSpec[] = [];
  const add = (where: string, topicArn: string, props: Record<string, unknown>) => {
    const protocol = String(props.Protocol);
    if (protocol !== 'sqs') warnings.push(`${where}: SNS ${protocol} subscriptions are not delivered locally`);
    else specs.push({ topicArn, protocol, endpoint: String(props.Endpoint), attributes: subscriptionAttributes(props) });
  };
  for (const [id] of catalog.ofType('AWS::SNS::Topic')) {
    const inline = (catalog.property(id, 'Subscription') ?? []) as Record<string, unknown>[];
    inline.forEach((sub) => add(id, String(catalog.ref(id)), sub));
  }
  for (const [id] of catalog.ofType('AWS::SNS::Subscription')) {
    const props = catalog.properties(id);
    add(id, String(props.TopicArn), props);
  }
  return specs;
}

/** Names of the queues that are some queue's dead-letter target. */
export function deadLetterQueueNames(catalog: ResourceCatalog): string[] {
  const targets = new Set<string>();
  for (const [id] of catalog.ofType('AWS::SQS::Queue')) {
    const policy = catalog.property(id, 'RedrivePolicy');
    const parsed = (typeof policy === 'string' ? JSON.parse(policy) : policy) as { deadLetterTargetArn?: string } | undefined;
    if (parsed?.deadLetterTargetArn) targets.add(parsed.deadLetterTargetArn.split(':').pop()!);
  }
  return [...targets].sort();
}

/** The queue of the stack with this ARN. */
export function queueByArn(catalog: ResourceCatalog, arn: string): { logicalId: string; name: string; url: string } | undefined {
  const found = catalog.ofType('AWS::SQS::Queue').find(([id]) => catalog.getAtt(id, 'Arn') === arn);
  if (!found) return undefined;
  return { logicalId: found[0], name: catalog.physicalName(found[0]), url: String(catalog.ref(found[0])) };
}

/** An event source mapping the runtime cannot run (not SQS, or its queue is not in the stack). */
export interface SkippedMapping {
  readonly logicalId: string;
  readonly reason: string;
}

/**
 * The enabled SQS event source mappings of the stack.
 *
 * @param catalog the stack
 * @param concurrencyOf the function's concurrency (caps the pollers)
 * @param skipped receives the mappings that cannot run locally
 */
export function mappingSpecs(catalog: ResourceCatalog, concurrencyOf: (fn: string) => number, skipped: SkippedMapping[]): SqsMappingSpec[] {
  const specs: SqsMappingSpec[] = [];
  for (const [logicalId] of catalog.ofType('AWS::Lambda::EventSourceMapping')) {
    const p = catalog.properties(logicalId);
    if (p.Enabled === false || p.Enabled === 'false') continue;
    const queue = queueByArn(catalog, String(p.EventSourceArn ?? ''));
    if (!queue) {
      skipped.push({ logicalId, reason: `event source ${String(p.EventSourceArn)} is not an SQS queue of this stack` });
      continue;
    }
    const functionName = String(p.FunctionName);
    const scaling = p.ScalingConfig as { MaximumConcurrency?: number } | undefined;
    const filters = ((p.FilterCriteria as { Filters?: { Pattern: string }[] } | undefined)?.Filters ?? []).map((f, i) => {
      try {
        return parseEventPattern(f.Pattern);
      } catch (cause) {
        throw new ProvisioningError(logicalId, `FilterCriteria.Filters[${i}]: ${(cause as Error).message}`, { cause });
      }
    });
    specs.push({
      logicalId,
      functionName,
      queueArn: String(p.EventSourceArn),
      queueUrl: queue.url,
      batchSize: Number(p.BatchSize ?? 10),
      batchingWindowMs: Number(p.MaximumBatchingWindowInSeconds ?? 0) * 1000,
      concurrency: Math.max(1, Math.min(Number(scaling?.MaximumConcurrency ?? Infinity), concurrencyOf(functionName))),
      filters,
      reportBatchItemFailures: Array.isArray(p.FunctionResponseTypes) && p.FunctionResponseTypes.includes('ReportBatchItemFailures'),
    });
  }
  return specs;
}
