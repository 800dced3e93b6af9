import { ArnFormat, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, IBucket } from 'aws-cdk-lib/aws-s3';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FanOutEnv, FanOutMetric } from '../functions/contract';
import { fanOutFanInDefinition, type ItemSource } from '../statemachines/fan-out-fan-in';
import { FAN_OUT_DEFAULTS as D, validateFanOutFanInProps } from './private/fan-out-fan-in-rules';
import { handlerFunction } from './private/handler-function';
import type { Reduce } from './reduce';
import { acknowledgeWildcardResource } from './private/nag-acknowledgements';
import { functionEntry } from './private/paths';
import { secureTable } from './private/secure-table';
import { serviceMetric } from './private/service-metric';

/** Props of {@link FanOutFanIn}. Give exactly one of `workerEntry` or `workerHandler`. */
export interface FanOutFanInProps {
  /** Your worker file, written with `fanOutWorker({ processItem, validate })`. @default - none; give `workerEntry` or `workerHandler` */
  readonly workerEntry?: string;
  /** An existing worker function (it must speak the `fanOutWorker` event shapes). @default - none */
  readonly workerHandler?: IFunction;
  /** Your join file, written with `fanOutJoin({ combine })`. @default - the built-in join: report only, no combined result */
  readonly joinEntry?: string;
  /** An existing join function. @default - none */
  readonly joinHandler?: IFunction;
  /** A step run only after a successful join (e.g. deleting the originals); it gets `{ summary }`. @default - none */
  readonly finalizerEntry?: string;
  /** An existing finalizer function. @default - none */
  readonly finalizerHandler?: IFunction;
  /** Extra environment of the finalizer (it also gets the results table's name, to read which items succeeded). @default - only the construct's variables */
  readonly finalizerEnvironment?: Record<string, string>;
  /**
   * A Reduce fed by the workers: each valid item's output (or the worker's `toPartial` of it)
   * is sent as partial `item#<index>` of the aggregation named by the run id, as the item
   * settles — merging runs while the Map does — and the join declares the run's count of
   * partials once every item settled (runs within their policy only), which makes it final.
   * Needs the construct's own worker and join functions.
   * @default - none
   */
  readonly reduce?: Reduce;
  /** `auto` runs inline up to `inlineMaxItems` items (or without `source`), distributed above; or force one. @default 'auto' */
  readonly mode?: 'auto' | 'inline' | 'distributed';
  /** Largest `items` list `auto` runs in an inline Map (1–10,000). @default 40 */
  readonly inlineMaxItems?: number;
  /** How a Distributed Map reads `source: { bucket, key | prefix }` from `sourceBucket`. @default - items come from the input's `items` */
  readonly itemSource?: ItemSource;
  /** The bucket the items are read from (with `itemSource`): the state machine may read it, and with `prefix` the worker may get its objects. @default - none */
  readonly sourceBucket?: IBucket;
  /** Items per child execution with a Distributed Map (ItemBatcher; 1 = no batching). @default 1 */
  readonly batchMaxItems?: number;
  /** Largest batch input in bytes (1–262,144). @default - no byte cap below 256 KiB */
  readonly batchMaxBytes?: number;
  /** Items or children in flight at once: 1–40 when an inline Map may run, 1–10,000 distributed. @default 10 */
  readonly maxConcurrency?: number;
  /** Time one worker call (an item or a batch) may take: 1–300 s (Express children), 1–900 s inline only. @default Duration.minutes(1) */
  readonly itemTimeout?: Duration;
  /** Retries of a failed worker call (0–10), with exponential backoff and full jitter. @default 3 */
  readonly retryMaxAttempts?: number;
  /** Wait before the first retry (1 s–1 h). @default Duration.seconds(1) */
  readonly retryInterval?: Duration;
  /** Backoff multiplier per retry (1–10). @default 2 */
  readonly retryBackoffRate?: number;
  /** Longest wait between two retries (1 s–1 h). @default Duration.seconds(30) */
  readonly retryMaxDelay?: Duration;
  /** Failed items tolerated (0–100,000,000); past it the run fails. @default - none tolerated unless a percentage is given */
  readonly toleratedFailureCount?: number;
  /** Failed items tolerated in percent (0–100); past it the run fails. @default - none tolerated unless a count is given */
  readonly toleratedFailurePercentage?: number;
  /** Bucket the report and the combined result are written to. @default - a new encrypted, TLS-only, private bucket */
  readonly resultBucket?: IBucket;
  /** Worker memory in MB (128–10,240). @default 512 */
  readonly workerMemorySize?: number;
  /** Extra environment of the worker. @default - only the construct's variables */
  readonly workerEnvironment?: Record<string, string>;
  /** Join timeout (1–900 s). @default Duration.minutes(5) */
  readonly joinTimeout?: Duration;
  /** Powertools service name: the `service` dimension of the `metric*` methods. @default - this construct's path */
  readonly serviceName?: string;
}

/**
 * Fan-out / fan-in on Step Functions: a Map runs your
 * worker on every item — inline for small lists, a Distributed Map with Express children for
 * big ones or S3 sources — with bounded concurrency, retries with backoff and full jitter, and
 * a per-item catch, so one failed item never fails its siblings. Every outcome lands in the
 * results table (never the 256 KiB state payload); the join runs once all items settled,
 * applies the failure policy, calls your `combine` on the valid outputs and writes a summary
 * report to the result bucket. A finalizer runs only after a successful join.
 *
 * Progress: the table's `progress` row (succeeded, failed, invalid, failed attempts), the
 * `metricProgress*` metrics, and DescribeMapRun for distributed runs.
 *
 * @example
 * const docs = new FanOutFanIn(this, 'Docs', {
 *   workerEntry: 'functions/docs/extract.ts', // fanOutWorker({ processItem, validate })
 *   joinEntry: 'functions/docs/combine.ts',   // fanOutJoin({ combine })
 *   itemSource: 'json-lines', sourceBucket: inbox, batchMaxItems: 50, toleratedFailurePercentage: 2,
 * });
 * docs.grantStart(api);
 */
export class FanOutFanIn extends Construct {
  /** The results table: `runId` + `key` (`item#…`, `attempt#…`, `progress`). */
  public readonly table: TableV2;
  /** Where the reports and combined results are written. */
  public readonly resultBucket: IBucket;
  /** The worker function. */
  public readonly workerFunction: IFunction;
  /** The join function. */
  public readonly joinFunction: IFunction;
  /** The finalizer, when one was given. */
  public readonly finalizerFunction?: IFunction;
  /** The fan-out / fan-in state machine (Standard). */
  public readonly stateMachine: StateMachine;
  /** The Powertools service name, the `service` dimension of the metrics. */
  public readonly serviceName: string;

  constructor(scope: Construct, id: string, props: FanOutFanInProps) {
    super(scope, id);
    validateFanOutFanInProps(this.node.path, props);
    this.serviceName = props.serviceName ?? this.node.path;
    this.table = secureTable(this, 'Results', { partitionKey: { name: 'runId', type: AttributeType.STRING }, sortKey: { name: 'key', type: AttributeType.STRING }, removalPolicy: RemovalPolicy.RETAIN });
    this.resultBucket = props.resultBucket ?? this.buildBucket();
    this.workerFunction = this.buildWorker(props);
    this.joinFunction = this.buildJoin(props);
    this.finalizerFunction = this.buildFinalizer(props);
    if (props.reduce) {
      props.reduce.grantSend(this.workerFunction);
      props.reduce.grantSend(this.joinFunction);
    }
    this.stateMachine = this.buildStateMachine(props);
  }

  /** Lets `grantee` start runs: `states:StartExecution` on the state machine. */
  public grantStart(grantee: IGrantable): Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /** Lets `grantee` read results, progress and reports: table read actions and `s3:GetObject*`/`List*` on the result bucket. */
  public grantReadResults(grantee: IGrantable): Grant {
    this.resultBucket.grantRead(grantee);
    return this.table.grantReadData(grantee);
  }

  /** Items that ran to a valid output (Sum). */
  public metricProgressSucceeded(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, FanOutMetric.succeeded, 'Sum', props);
  }

  /** Items that failed for good (Sum). */
  public metricProgressFailed(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, FanOutMetric.failed, 'Sum', props);
  }

  /** Outputs set aside by the validator (Sum). */
  public metricProgressInvalid(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, FanOutMetric.invalid, 'Sum', props);
  }

  /** Failed worker attempts, retried or final (Sum). */
  public metricProgressFailedAttempts(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, FanOutMetric.failedAttempts, 'Sum', props);
  }

  private buildBucket(): Bucket {
    const bucket = new Bucket(this, 'ResultBucket', { encryption: BucketEncryption.S3_MANAGED, blockPublicAccess: BlockPublicAccess.BLOCK_ALL, enforceSSL: true, versioned: true, removalPolicy: RemovalPolicy.RETAIN });
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'Only this construct\'s join writes reports here; CloudTrail data events are the audit trail to enable when needed, not a second access-log bucket per construct.' });
    return bucket;
  }

  private buildWorker(props: FanOutFanInProps): IFunction {
    const fn = props.workerHandler ?? handlerFunction(this, 'Worker', {
      entry: props.workerEntry!,
      serviceName: this.serviceName,
      timeout: props.itemTimeout ?? D.itemTimeout,
      memorySize: props.workerMemorySize,
      environment: { ...props.workerEnvironment, [FanOutEnv.resultsTableName]: this.table.tableName, ...reduceEnv(props) },
    });
    this.table.grantReadWriteData(fn);
    if (props.sourceBucket && props.itemSource === 'prefix') {
      // Listed items are object keys: the worker reads each object it is given.
      const objects = props.sourceBucket.arnForObjects('*');
      fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }));
      acknowledgeWildcardResource(fn.role ?? fn, objects, 'The worker reads the objects the ItemReader listed; their keys are only known at run time.');
    }
    return fn;
  }

  private buildJoin(props: FanOutFanInProps): IFunction {
    const tolerance = {
      ...(props.toleratedFailureCount !== undefined ? { [FanOutEnv.toleratedFailureCount]: String(props.toleratedFailureCount) } : {}),
      ...(props.toleratedFailurePercentage !== undefined ? { [FanOutEnv.toleratedFailurePercentage]: String(props.toleratedFailurePercentage) } : {}),
    };
    const fn = props.joinHandler ?? handlerFunction(this, 'Join', {
      entry: props.joinEntry ?? functionEntry('fan-out-fan-in', 'report-join-handler.ts'),
      serviceName: this.serviceName,
      timeout: props.joinTimeout ?? D.joinTimeout,
      memorySize: 1024,
      environment: { [FanOutEnv.resultsTableName]: this.table.tableName, [FanOutEnv.resultBucketName]: this.resultBucket.bucketName, ...tolerance, ...reduceEnv(props) },
    });
    this.table.grantReadData(fn);
    // Exactly PutObject under runs/ (grantPut would add s3:Abort* on every key).
    const reports = this.resultBucket.arnForObjects('runs/*');
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [reports] }));
    acknowledgeWildcardResource(fn.role ?? fn, reports, 'The join writes runs/<runId>/report.json and combined.json; run ids are only known at run time.');
    return fn;
  }

  private buildFinalizer(props: FanOutFanInProps): IFunction | undefined {
    if (props.finalizerHandler) return props.finalizerHandler;
    if (!props.finalizerEntry) return undefined;
    const fn = handlerFunction(this, 'Finalizer', { entry: props.finalizerEntry, serviceName: this.serviceName, environment: { ...props.finalizerEnvironment, [FanOutEnv.resultsTableName]: this.table.tableName } });
    // A finalizer acts on the items that succeeded (delete their originals): it reads which.
    this.table.grantReadData(fn);
    return fn;
  }

  private buildStateMachine(props: FanOutFanInProps): StateMachine {
    const stack = Stack.of(this);
    // A generated (not hard-coded) name: the role must name the machine to start its own child executions.
    const name = Names.uniqueResourceName(this, { maxLength: 80, separator: '-' });
    const definition = fanOutFanInDefinition({
      mode: props.mode ?? D.mode,
      inlineMaxItems: props.inlineMaxItems ?? D.inlineMaxItems,
      itemSource: props.itemSource,
      batchMaxItems: props.batchMaxItems ?? D.batchMaxItems,
      batchMaxBytes: props.batchMaxBytes,
      maxConcurrency: props.maxConcurrency ?? D.maxConcurrency,
      itemTimeoutSeconds: (props.itemTimeout ?? D.itemTimeout).toSeconds(),
      retry: { maxAttempts: props.retryMaxAttempts ?? D.retryMaxAttempts, intervalSeconds: (props.retryInterval ?? D.retryInterval).toSeconds(), backoffRate: props.retryBackoffRate ?? D.retryBackoffRate, maxDelaySeconds: (props.retryMaxDelay ?? D.retryMaxDelay).toSeconds() },
      toleratedFailureCount: props.toleratedFailureCount,
      toleratedFailurePercentage: props.toleratedFailurePercentage,
    }, { workerArn: this.workerFunction.functionArn, joinArn: this.joinFunction.functionArn, finalizerArn: this.finalizerFunction?.functionArn, partition: stack.partition });
    const machine = new StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(stack.toJsonString(definition)),
      tracingEnabled: true,
      logs: { destination: new LogGroup(this, 'StateMachineLogs', { retention: RetentionDays.ONE_MONTH }), level: LogLevel.ALL, includeExecutionData: false },
    });
    for (const fn of [this.workerFunction, this.joinFunction, this.finalizerFunction]) {
      if (!fn) continue;
      fn.grantInvoke(machine);
      acknowledgeWildcardResource(machine, `${fn.functionArn}:*`, 'grantInvoke covers the function and its versions (ARN:*); the machine invokes only its own functions.');
    }
    this.grantChildExecutions(machine, name);
    if (props.sourceBucket) {
      // Exactly what the ItemReader calls (grantRead would add s3:GetBucket*, s3:List*, s3:GetObject*).
      const objects = props.sourceBucket.arnForObjects('*');
      machine.addToRolePolicy(new PolicyStatement({ actions: props.itemSource === 'prefix' ? ['s3:ListBucket'] : ['s3:GetObject'], resources: [props.itemSource === 'prefix' ? props.sourceBucket.bucketArn : objects] }));
      if (props.itemSource !== 'prefix') acknowledgeWildcardResource(machine, objects, 'The ItemReader reads the object each run names in the source bucket; keys are only known at run time.');
    }
    acknowledgeWildcardResource(machine, '*', 'X-Ray PutTraceSegments and the CloudWatch Logs delivery actions of Step Functions logging have no resource-level permissions.');
    return machine;
  }

  /** A Distributed Map starts, describes and stops child executions of its own machine. */
  private grantChildExecutions(machine: StateMachine, name: string): void {
    const stack = Stack.of(this);
    const self = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const executions = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${name}/*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    machine.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [self] }));
    machine.addToRolePolicy(new PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [executions] }));
    acknowledgeWildcardResource(machine, executions, 'Child executions of the Distributed Map are named by Step Functions at run time, under this machine only.');
  }
}

function reduceEnv(props: FanOutFanInProps): Record<string, string> {
  return props.reduce ? { [FanOutEnv.reduceQueueUrl]: props.reduce.ingress.queueUrl } : {};
}
