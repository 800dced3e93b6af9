/**
 * The demo stack as deployed (LocalStack, or AWS), reached through its stack outputs with AWS
 * SDK v3 clients. Nothing here knows the template: queue URLs and the table name are the outputs'.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sendAll } from '../../../localstack/runtime/driver/send';
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
  public readonly deadLetterQueueUrl: string;
  public readonly tableName: string;
  private readonly sqs: SQSClient;
  private readonly dynamo: DynamoDBClient;
  private readonly documents: DynamoDBDocumentClient;

  constructor(private readonly spec: DeployedDemoSpec, public readonly runId: string) {
    this.description = `deployed stack ${spec.stackName} at ${spec.sdk.endpoint ?? 'AWS'}`;
    this.ingressQueueUrl = spec.ingressQueueUrl;
    this.deadLetterQueueUrl = spec.deadLetterQueueUrl;
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
    const [done, ingress] = await Promise.all([countOrders(this.documents, this.tableName, orderIdPrefix), queueDepth(this.sqs, this.ingressQueueUrl)]);
    return { done, idle: ingress.visible + ingress.inFlight + ingress.delayed === 0 };
  }

  public doneItems(orderIdPrefix: string): Promise<Map<string, Record<string, unknown>>> {
    return scanOrders(this.documents, this.tableName, orderIdPrefix);
  }

  public deadLetters(): Promise<DeadLetter[]> {
    return readAndRelease(this.sqs, this.deadLetterQueueUrl);
  }

  public async stop(): Promise<void> {
    this.sqs.destroy();
    this.dynamo.destroy();
  }
}
