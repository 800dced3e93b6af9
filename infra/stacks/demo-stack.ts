import { App, AppProps, CfnOutput, Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { DemoOrdersTable, DemoOutput, Env } from '../../functions/contract';
import { functionEntry } from '../private/paths';
import { secureTable } from '../private/secure-table';
import { WorkQueue } from '../work-queue';

/** The demo stack's ID in the app (and its CloudFormation stack name). */
export const DEMO_STACK_ID = 'PpPatternsDemo';

/**
 * The demo pipeline: an "orders" work queue whose worker validates each order and writes it,
 * keyed by order id, to an orders table in BatchWriteItem calls of 25. A re-delivered order
 * overwrites itself, so at-least-once delivery stays idempotent.
 *
 * Outputs (names in `DemoOutput` of the contract): the ingress queue URL, its dead-letter
 * queue URL and the table name.
 */
export class DemoStack extends Stack {
  /** The orders work queue (ingress queue, DLQ, worker). */
  public readonly orders: WorkQueue;
  /** Where processed orders land. */
  public readonly ordersTable: TableV2;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'pp-patterns demo: orders work queue into a DynamoDB table', ...props });
    this.ordersTable = this.buildTable();
    this.orders = this.buildOrders();
    // The worker only batch-writes (BatchWriter); grantWriteData would add PutItem, UpdateItem and DeleteItem.
    Grant.addToPrincipal({ grantee: this.orders.function, actions: ['dynamodb:BatchWriteItem'], resourceArns: [this.ordersTable.tableArn] });
    this.addOutputs();
  }

  private buildTable(): TableV2 {
    return secureTable(this, 'OrdersTable', {
      partitionKey: { name: DemoOrdersTable.partitionKey, type: AttributeType.STRING },
      // Demo data: `cdk destroy` should leave nothing behind.
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  private buildOrders(): WorkQueue {
    return new WorkQueue(this, 'Orders', {
      entry: functionEntry('demo', 'order-worker.ts'),
      environment: { [Env.tableName]: this.ordersTable.tableName },
      // 100-record batches make 4 BatchWriteItem calls per invocation instead of 100 PutItems.
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      maxConcurrency: 10,
      timeout: Duration.seconds(30),
      // Declared load for the stability check: 200 orders/s at ~20 ms each needs 4 in flight.
      expectedArrivalRate: 200,
      itemProcessingTime: Duration.millis(20),
    });
  }

  private addOutputs(): void {
    const deadLetterQueue = this.orders.deadLetterQueue;
    // A WorkQueue that creates its queue always creates the DLQ; this guards the optional type.
    if (!deadLetterQueue) throw new Error('DemoStack: the orders work queue has no dead-letter queue');
    new CfnOutput(this, DemoOutput.ordersQueueUrl, { value: this.orders.queue.queueUrl, description: 'Send orders here' });
    new CfnOutput(this, DemoOutput.ordersDeadLetterQueueUrl, {
      value: deadLetterQueue.queueUrl,
      description: 'Orders that failed or were rejected, with their reason',
    });
    new CfnOutput(this, DemoOutput.ordersTableName, { value: this.ordersTable.tableName, description: 'Processed orders' });
  }
}

/**
 * The demo app: the demo stack, checked by cdk-nag's AWS Solutions rules (a finding fails the
 * synth). Shared by `infra/app.ts` and the nag test, so both check the same app.
 *
 * @param props App props (tests pass an `outdir` under the temp dir)
 */
export function createDemoApp(props: AppProps = {}): { app: App; stack: DemoStack } {
  const app = new App(props);
  const stack = new DemoStack(app, DEMO_STACK_ID);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
