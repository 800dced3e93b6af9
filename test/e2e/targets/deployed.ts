/**
 * The demo stack as deployed (LocalStack, or AWS), reached through its stack outputs with AWS
 * SDK v3 clients. Nothing here knows the template: queue URLs and the table name are the outputs'.
 * The pipeline has several hops, so idle means every queue of it is empty, not just the ingress.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sendAll } from '../../../local-runtime/runtime/driver/send';
import { countOrders, queueDepth, readAndRelease, scanOrders } from './sdk-reads';
import type { DeployedDemoSpec } from './select';
import type { DeadLetter, DemoTarget, Progress, SdkClientConfig } from './types';

/**
 * Connects to a deployed demo stack. Each run gets its own order-id prefix (base 36 of
 * `now()`), since the stack keeps the items of earlier runs.
 *
 * @param now the clock the run id is taken from
 */
export async function startDeployedDemo(spec: DeployedDemoSpec, now: () => number = Date.now): Promise<DemoTarget> {
  return new DeployedDemoTarget(spec, `r${now().toString(36)}`);
}

class DeployedDemoTarget implements DemoTarget {
  public readonly kind = 'deployed';
  public readonly runtime = undefined;
  public readonly description: string;
  // Real SQS's approximate counts lag: look less often and want more quiet looks in a row.
  public readonly polling = { intervalMs: 1000, quietPolls: 3, timeoutMs: 600_000 };
  public readonly ingressQueueUrl: string;
  public readonly deadLetterQueueUrls: readonly string[];
  public readonly pipelineQueueUrls: readonly string[];
  public readonly tableName: string;
  private readonly sqs: SQSClient;
  private readonly dynamo: DynamoDBClient;
  private readonly documents: DynamoDBDocumentClient;

  constructor(private readonly spec: DeployedDemoSpec, public readonly runId: string) {
    this.description = `deployed stack ${spec.stackName} at ${spec.sdk.endpoint ?? 'AWS'}`;
    this.ingressQueueUrl = spec.ingressQueueUrl;
    this.deadLetterQueueUrls = spec.deadLetterQueueUrls;
    this.pipelineQueueUrls = spec.pipelineQueueUrls;
    this.tableName = spec.tableName;
    this.sqs = new SQSClient(this.clientConfig());
    this.dynamo = new DynamoDBClient(this.clientConfig());
    this.documents = DynamoDBDocumentClient.from(this.dynamo);
  }

  public clientConfig(): SdkClientConfig {
    return this.spec.sdk;
  }

  public send(bodies: readonly string[]): Promise<void> {
    return sendAll({ client: this.sqs, queueUrl: this.ingressQueueUrl, bodies });
  }

  public async progress(orderIdPrefix: string): Promise<Progress> {
    const [done, ...depths] = await Promise.all([
      countOrders(this.documents, this.tableName, orderIdPrefix),
      ...this.pipelineQueueUrls.map((url) => queueDepth(this.sqs, url)),
    ]) as [number, ...Awaited<ReturnType<typeof queueDepth>>[]];
    return { done, idle: depths.every((d) => d.visible + d.inFlight + d.delayed === 0) };
  }

  public doneItems(orderIdPrefix: string): Promise<Map<string, Record<string, unknown>>> {
    return scanOrders(this.documents, this.tableName, orderIdPrefix);
  }

  public async deadLetters(): Promise<DeadLetter[]> {
    return (await Promise.all(this.deadLetterQueueUrls.map((url) => readAndRelease(this.sqs, url)))).flat();
  }

  public async stop(): Promise<void> {
    this.sqs.destroy();
    this.dynamo.destroy();
  }
}
