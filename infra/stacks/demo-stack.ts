import { App, AppProps, CfnOutput, Duration, Fn, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { DEMO_OUTPUT_LIST_SEPARATOR, DemoOrdersTable, DemoOutput, Env } from '../../functions/contract';
import { BatchStageChain } from '../batch-stage-chain';
import { functionEntry } from '../private/paths';
import { secureQueue } from '../private/secure-queue';
import { secureTable } from '../private/secure-table';
import { derivedVisibilityTimeout } from '../private/work-queue-rules';
import { Splitter } from '../routing/splitter';
import { WorkQueue } from '../work-queue';

/** The demo stack's ID in the app (and its CloudFormation stack name). */
export const DEMO_STACK_ID = 'PpPatternsDemo';

/**
 * Receives before SQS moves a message to a DLQ, on every queue of the pipeline. A crashed
 * invocation fails its whole batch, so an order's retries are shared with its batch-mates':
 * AWS advises at least 5 for Lambda-consumed queues, so one bad batch cannot park good orders.
 */
const MAX_RECEIVE_COUNT = 5;

/** The router only forwards (10-entry sends per output), so a short timeout keeps retries quick. */
const ROUTER_TIMEOUT = Duration.seconds(10);
const ROUTER_WINDOW = Duration.seconds(1);

/**
 * The demo pipeline, an order flow built from the library's constructs:
 *
 * ```
 * orders ingress ─▶ Splitter by `shipping` (only `type: order` events invoke it)
 *   ├─ express ─────────▶ Express work queue: validate, price, write ─────────────▶ orders table
 *   └─ standard/default ─▶ BatchStageChain: Validate ─▶ Price ─▶ Store ─(25-item writes)─▶ orders table
 * ```
 *
 * Every valid order ends as one item in the orders table, keyed by order id and computed only
 * from the order, so a re-delivered or re-sent order overwrites itself with the same item on
 * either route. An invalid order (or one with an unknown shipping method, which the splitter
 * sends down the default route) is poison: it rests in the DLQ of the step that rejected it,
 * with its reason. Events of another `type` are dropped by the ingress mapping's filter
 * criteria and cost no invocation.
 *
 * Outputs (names in `DemoOutput` of the contract): the ingress queue URL and its DLQ's, the
 * table name, and the URL lists of every DLQ and every queue an order passes through.
 */
export class DemoStack extends Stack {
  /** Where processed orders land, from either route. */
  public readonly ordersTable: TableV2;
  /** The orders ingress: send orders here. */
  public readonly ingress: IQueue;
  /** The ingress's dead-letter queue: orders the splitter could not route. */
  public readonly ingressDeadLetterQueue: IQueue;
  /** Routes orders by `shipping`: `express` to {@link express}, anything else to {@link standard}. */
  public readonly byShipping: Splitter;
  /** The express route: one worker validates, prices and writes. */
  public readonly express: WorkQueue;
  /** The standard route: Validate → Price → Store, its sink the orders table. */
  public readonly standard: BatchStageChain;
  /** Every dead-letter queue of the pipeline, ingress first. */
  public readonly deadLetterQueues: readonly IQueue[];

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'pp-patterns demo: orders split by shipping into an express worker and a 3-stage chain, into one DynamoDB table', ...props });
    this.ordersTable = this.buildTable();
    const ingress = secureQueue(this, 'OrdersQueue', {
      maxReceiveCount: MAX_RECEIVE_COUNT,
      // A brought queue keeps its own visibility: give it the one WorkQueue derives for the router.
      visibilityTimeout: derivedVisibilityTimeout({ timeout: ROUTER_TIMEOUT, maxBatchingWindow: ROUTER_WINDOW }),
    });
    this.ingress = ingress.queue;
    this.ingressDeadLetterQueue = required(ingress.deadLetterQueue, 'the ingress');
    this.express = this.buildExpress();
    this.standard = this.buildStandard();
    this.byShipping = this.buildSplitter();
    this.deadLetterQueues = [
      this.ingressDeadLetterQueue,
      required(this.express.ingressDeadLetterQueue, 'the express work queue'),
      ...this.standard.stages.map((s) => required(s.ingressDeadLetterQueue, `stage ${s.node.id}`)),
    ];
    this.addOutputs();
  }

  private buildTable(): TableV2 {
    return secureTable(this, 'OrdersTable', {
      partitionKey: { name: DemoOrdersTable.partitionKey, type: AttributeType.STRING },
      // Demo data: `cdk destroy` should leave nothing behind.
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  private buildExpress(): WorkQueue {
    const express = new WorkQueue(this, 'Express', {
      entry: functionEntry('demo', 'order-worker.ts'),
      environment: { [Env.tableName]: this.ordersTable.tableName },
      maxReceiveCount: MAX_RECEIVE_COUNT,
      // 100-record batches make 4 BatchWriteItem calls per invocation instead of 100 PutItems.
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      maxConcurrency: 10,
      timeout: Duration.seconds(30),
      // Declared load for the stability check: 200 orders/s at ~20 ms each needs 4 in flight.
      expectedArrivalRate: 200,
      itemProcessingTime: Duration.millis(20),
    });
    // The worker only batch-writes (BatchWriter); grantWriteData would add PutItem, UpdateItem and DeleteItem.
    Grant.addToPrincipal({ grantee: express.workerFunction, actions: ['dynamodb:BatchWriteItem'], resourceArns: [this.ordersTable.tableArn] });
    return express;
  }

  private buildStandard(): BatchStageChain {
    return new BatchStageChain(this, 'Standard', {
      stages: [
        // Pure CPU: large batches, few invocations; a short timeout keeps a crashed batch's retry quick.
        { name: 'Validate', entry: functionEntry('demo', 'validate-order.ts'), batchSize: 100, maxBatchingWindow: Duration.seconds(1),
          maxConcurrency: 10, timeout: Duration.seconds(10), maxReceiveCount: MAX_RECEIVE_COUNT },
        // Stands for a rate-limited pricing service: at most 5 invocations at once, fuller batches.
        { name: 'Price', entry: functionEntry('demo', 'price-order.ts'), batchSize: 100, maxBatchingWindow: Duration.seconds(2),
          maxConcurrency: 5, maxReceiveCount: MAX_RECEIVE_COUNT },
        // 50 items: two full 25-item BatchWriteItem calls per invocation.
        { name: 'Store', entry: functionEntry('demo', 'store-order.ts'), batchSize: 50, maxBatchingWindow: Duration.seconds(1),
          maxConcurrency: 10, maxReceiveCount: MAX_RECEIVE_COUNT },
      ],
      sinkTable: this.ordersTable,
    });
  }

  private buildSplitter(): Splitter {
    return new Splitter(this, 'ByShipping', {
      ingress: this.ingress,
      ingressDeadLetterQueue: this.ingressDeadLetterQueue,
      field: 'shipping',
      routes: { express: this.express.ingress, standard: this.standard.ingress },
      // A missing or unknown method goes the standard way, where Validate rejects it with its reason.
      defaultOutput: this.standard.ingress,
      inputFilter: [{ type: ['order'] }],
      // 100 per batch: each route's share leaves in full 10-entry sends.
      batchSize: 100,
      maxBatchingWindow: ROUTER_WINDOW,
      maxConcurrency: 10,
      timeout: ROUTER_TIMEOUT,
    });
  }

  private addOutputs(): void {
    const joined = (queues: readonly IQueue[]) => Fn.join(DEMO_OUTPUT_LIST_SEPARATOR, queues.map((q) => q.queueUrl));
    new CfnOutput(this, DemoOutput.ordersQueueUrl, { value: this.ingress.queueUrl, description: 'Send orders here' });
    new CfnOutput(this, DemoOutput.ordersDeadLetterQueueUrl, {
      value: this.ingressDeadLetterQueue.queueUrl,
      description: 'Orders the splitter could not route',
    });
    new CfnOutput(this, DemoOutput.ordersTableName, { value: this.ordersTable.tableName, description: 'Processed orders' });
    new CfnOutput(this, DemoOutput.deadLetterQueueUrls, {
      value: joined(this.deadLetterQueues),
      description: 'Every dead-letter queue (ingress, express, Validate, Price, Store): failed or rejected orders, with their reason',
    });
    new CfnOutput(this, DemoOutput.pipelineQueueUrls, {
      value: joined([this.ingress, this.express.ingress, ...this.standard.stages.map((s) => s.ingress)]),
      description: 'Every queue an order waits in on its way to the table (ingress, express, Validate, Price, Store)',
    });
  }
}

/** Created queues always have a DLQ; this guards the optional type and names the culprit. */
function required(queue: IQueue | undefined, what: string): IQueue {
  if (!queue) throw new Error(`DemoStack: ${what} has no dead-letter queue`);
  return queue;
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
