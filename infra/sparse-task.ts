import { Validations } from 'aws-cdk-lib';
import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Grant, IGrantable, Role } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SparseTaskEnv, SparseTaskMetric, TaskTable } from '../functions/contract';
import { handlerFunction } from './private/handler-function';
import { ingressWorkQueue } from './private/ingress';
import { functionEntry } from './private/paths';
import { scheduleFunction } from './private/schedule-loop';
import { secureDeadLetterQueue, secureQueue } from './private/secure-queue';
import { secureTable } from './private/secure-table';
import { serviceMetric } from './private/service-metric';
import { grantPassRoleToScheduler, grantScheduleActions, schedulerRole } from './private/sparse-task-iam';
import { SPARSE_TASK_DEFAULTS as D, validateSparseTaskProps } from './private/sparse-task-rules';
import type { SparseTaskProps } from './sparse-task-props';
import { WorkQueue } from './work-queue';

export type { SparseTaskProps } from './sparse-task-props';

/**
 * Sparse Task: long-running external work without a waiting worker.
 *
 * The submitter (your `start`, behind a submission queue) writes a PENDING task record and arms a
 * one-time EventBridge Scheduler schedule at the deadline; it returns at once. Completions arrive
 * on an SQS ingress (optionally fed by an EventBridge rule, or by a `RollingPoller` when the
 * external system cannot call back); the completion handler moves the task PENDING → SUCCEEDED |
 * FAILED with one conditional write and deletes the schedule. If the deadline comes first, the
 * schedule invokes the timeout monitor, which moves it PENDING → TIMED_OUT. Exactly one terminal
 * state wins; a losing write is kept on the record (e.g. a late completion as LATE). Every
 * terminal state produces one finished event (queue or bus). All state lives in DynamoDB.
 *
 * - Least privilege: the scheduler role can only invoke the monitor and send to its DLQ, and
 *   trusts `scheduler.amazonaws.com` only for this account's schedules in this group; the
 *   submitter may pass that role to EventBridge Scheduler only.
 * - Secure defaults: encrypted queues with DLQs and TLS-only policies, an encrypted table with
 *   point-in-time recovery, no physical names except the generated schedule group name.
 *
 * @example
 * const transcodes = new SparseTask(this, 'Transcodes', {
 *   submitterEntry: 'functions/transcode/submit.ts',
 *   taskTimeout: Duration.hours(2),
 * });
 * transcodes.grantSend(api);
 * transcodes.grantComplete(transcoderCallbackRole);
 */
export class SparseTask extends Construct {
  /** The task table: one record per task, with the sparse `pending` index. */
  public readonly table: TableV2;
  /** The schedule group holding one one-time timeout schedule per PENDING task. */
  public readonly scheduleGroup: ScheduleGroup;
  /** The role EventBridge Scheduler assumes to invoke the timeout monitor. */
  public readonly schedulerRole: Role;
  /** The queue submissions go to (`{ taskId, input?, timeoutSeconds?, correlationId? }`). */
  public readonly ingress: IQueue;
  /** The submission queue's dead-letter queue, when known. */
  public readonly ingressDeadLetterQueue?: IQueue;
  /** The submitter: your `start`, fed by the ingress. */
  public readonly submitterFunction: IFunction;
  /** The queue completions go to (`{ taskId, status: 'SUCCEEDED' | 'FAILED', result?, error? }`). */
  public readonly completionQueue: IQueue;
  /** The completion queue's dead-letter queue, when known. */
  public readonly completionDeadLetterQueue?: IQueue;
  /** The completion handler, fed by the completion queue. */
  public readonly completionFunction: IFunction;
  /** The timeout monitor, target of every timeout schedule. */
  public readonly timeoutMonitorFunction: IFunction;
  /** Where a schedule's input or a failed monitor invocation ends up. */
  public readonly monitorDeadLetterQueue: IQueue;
  /** The queue finished events go to (undefined with `finishedBus`). */
  public readonly finishedQueue?: IQueue;
  /** The bus finished events are put on (undefined unless `finishedBus` was given). */
  public readonly finishedBus?: IEventBus;
  /** The rule forwarding EventBridge completions to the completion queue (with `completionEventPattern`). */
  public readonly completionRule?: Rule;
  /** The pending-task gauge (undefined with `pendingGauge: false`). */
  public readonly pendingGaugeFunction?: IFunction;
  /** The Powertools service name, the `service` dimension of every metric of this construct. */
  public readonly serviceName: string;
  private readonly submissions: WorkQueue;
  private readonly completions: WorkQueue;

  constructor(scope: Construct, id: string, props: SparseTaskProps) {
    super(scope, id);
    validateSparseTaskProps(this, props);
    this.serviceName = props.serviceName ?? this.node.path;
    this.table = this.buildTable();
    this.scheduleGroup = new ScheduleGroup(this, 'Schedules');
    this.monitorDeadLetterQueue = this.buildMonitorDeadLetterQueue();
    if (props.finishedBus) this.finishedBus = props.finishedBus;
    else this.finishedQueue = props.finishedQueue ?? secureQueue(this, 'Finished').queue;
    this.timeoutMonitorFunction = this.buildMonitor(props);
    this.schedulerRole = schedulerRole(this, 'SchedulerRole', this.scheduleGroup, this.timeoutMonitorFunction, this.monitorDeadLetterQueue);
    this.completions = this.buildCompletions(props);
    this.completionQueue = this.completions.ingress;
    this.completionDeadLetterQueue = this.completions.ingressDeadLetterQueue;
    this.completionFunction = this.completions.workerFunction;
    this.submissions = this.buildSubmissions(props);
    this.ingress = this.submissions.ingress;
    this.ingressDeadLetterQueue = this.submissions.ingressDeadLetterQueue;
    this.submitterFunction = this.submissions.workerFunction;
    this.completionRule = this.buildCompletionRule(props);
    if (props.pendingGauge !== false) this.pendingGaugeFunction = this.buildGauge(props);
  }

  /** Lets `grantee` submit tasks: `sqs:SendMessage`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` on the ingress. */
  public grantSend(grantee: IGrantable): Grant {
    return this.submissions.grantSend(grantee);
  }

  /** Lets `grantee` report completions: `sqs:SendMessage`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` on the completion queue. */
  public grantComplete(grantee: IGrantable): Grant {
    return this.completions.grantSend(grantee);
  }

  /** Lets `grantee` read task records: `dynamodb:GetItem`, `dynamodb:Query` (table and `pending` index). */
  public grantReadTasks(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: ['dynamodb:GetItem', 'dynamodb:Query'], resourceArns: [this.table.tableArn, this.pendingIndexArn()] });
  }

  /**
   * Lets `grantee` consume finished events: `sqs:ReceiveMessage`, `sqs:ChangeMessageVisibility`,
   * `sqs:GetQueueUrl`, `sqs:DeleteMessage`, `sqs:GetQueueAttributes` on the finished queue.
   *
   * @throws Error with `finishedBus` (subscribe a rule to the bus instead)
   */
  public grantConsumeFinished(grantee: IGrantable): Grant {
    if (!this.finishedQueue) throw new Error(`SparseTask ${this.node.path}: finished events go to a bus; subscribe a rule to it instead`);
    return this.finishedQueue.grantConsumeMessages(grantee);
  }

  /** Tasks PENDING right now (`PendingTasks` from the gauge, Maximum over 5 minutes). */
  public metricPendingTasks(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, SparseTaskMetric.pendingTasks, 'Maximum', props);
  }

  /** Tasks that timed out (`TasksTimedOut`, Sum over 5 minutes). */
  public metricTimeouts(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, SparseTaskMetric.tasksTimedOut, 'Sum', props);
  }

  /** Submission-to-terminal-state latency of finished tasks, ms (`CompletionLatency`, p90 over 5 minutes). */
  public metricCompletionLatency(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, SparseTaskMetric.completionLatency, 'p90', props);
  }

  /** Tasks submitted and started (`TasksSubmitted`, Sum over 5 minutes). */
  public metricTasksSubmitted(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, SparseTaskMetric.tasksSubmitted, 'Sum', props);
  }

  /** Tasks that failed, a failed `start` included (`TasksFailed`, Sum over 5 minutes). */
  public metricTasksFailed(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, SparseTaskMetric.tasksFailed, 'Sum', props);
  }

  /** Completions that came at or after the deadline (`LateCompletions`, Sum over 5 minutes). */
  public metricLateCompletions(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, SparseTaskMetric.lateCompletions, 'Sum', props);
  }

  private buildTable(): TableV2 {
    return secureTable(this, 'Tasks', {
      partitionKey: { name: TaskTable.partitionKey, type: AttributeType.STRING },
      timeToLiveAttribute: TaskTable.ttlAttribute,
      globalSecondaryIndexes: [{
        indexName: TaskTable.pendingIndex,
        partitionKey: { name: TaskTable.shardAttribute, type: AttributeType.NUMBER },
        sortKey: { name: TaskTable.deadlineAttribute, type: AttributeType.NUMBER },
        // A batch poller walking the pending tasks needs the external id to poll by.
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: ['externalId', 'correlationId'],
      }],
    });
  }

  /** The variables every function reads: the table and where finished events go. */
  private sharedEnvironment(props: SparseTaskProps): Record<string, string> {
    return {
      [SparseTaskEnv.taskTableName]: this.table.tableName,
      [SparseTaskEnv.pendingShards]: String(props.pendingIndexShards ?? D.pendingIndexShards),
      [SparseTaskEnv.retentionSeconds]: String((props.recordRetention ?? D.recordRetention).toSeconds()),
      [SparseTaskEnv.scheduleGroupName]: this.scheduleGroup.scheduleGroupName,
      ...(this.finishedQueue ? { [SparseTaskEnv.finishedQueueUrl]: this.finishedQueue.queueUrl } : {}),
      ...(this.finishedBus ? { [SparseTaskEnv.finishedBusName]: this.finishedBus.eventBusName } : {}),
    };
  }

  /** The ARN of the pending index (the table grant would add every index, `index/*`). */
  private pendingIndexArn(): string {
    return `${this.table.tableArn}/index/${TaskTable.pendingIndex}`;
  }

  /** Each function may only read and conditionally update records (item actions, no index), and send finished events. */
  private grantTaskWrites(fn: IFunction, ...extra: string[]): void {
    Grant.addToPrincipal({ grantee: fn, actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', ...extra], resourceArns: [this.table.tableArn] });
    if (this.finishedQueue) this.finishedQueue.grantSendMessages(fn);
    if (this.finishedBus) this.finishedBus.grantPutEventsTo(fn);
  }

  private buildMonitorDeadLetterQueue(): Queue {
    const queue = secureDeadLetterQueue(this, 'MonitorDlq');
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue: the on-failure destination of the timeout monitor and the DLQ of every timeout schedule.',
    });
    return queue;
  }

  private buildMonitor(props: SparseTaskProps): IFunction {
    const fn = handlerFunction(this, 'TimeoutMonitor', {
      entry: functionEntry('sparse-task', 'timeout-monitor-handler.ts'),
      serviceName: this.serviceName,
      environment: this.sharedEnvironment(props),
      description: `pp-patterns SparseTask timeout monitor of ${this.node.path}`,
    });
    // Invoked asynchronously by the scheduler: after Lambda's own retries, keep the input.
    fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(this.monitorDeadLetterQueue) });
    this.grantTaskWrites(fn);
    return fn;
  }

  private buildCompletions(props: SparseTaskProps): WorkQueue {
    // The completion ingress is a queue ingress like MarkerSweeper's, under `completion*` names.
    const completions = ingressWorkQueue(this, 'Completions', {
      ingress: props.completionQueue,
      ingressDeadLetterQueue: props.completionDeadLetterQueue,
      ingressMaxReceiveCount: props.completionMaxReceiveCount,
      ingressBatchSize: props.completionBatchSize ?? D.batchSize,
      ingressMaxConcurrency: props.completionMaxConcurrency,
    }, { entry: functionEntry('sparse-task', 'completion-handler.ts'), serviceName: this.serviceName, environment: this.sharedEnvironment(props) });
    this.grantTaskWrites(completions.workerFunction);
    grantScheduleActions(this, 'Completions', completions.workerFunction, this.scheduleGroup, 'DeleteSchedule');
    return completions;
  }

  private buildSubmissions(props: SparseTaskProps): WorkQueue {
    const environment = {
      ...this.sharedEnvironment(props),
      [SparseTaskEnv.defaultTimeoutSeconds]: String((props.taskTimeout ?? D.taskTimeout).toSeconds()),
      [SparseTaskEnv.monitorFunctionArn]: this.timeoutMonitorFunction.functionArn,
      [SparseTaskEnv.schedulerRoleArn]: this.schedulerRole.roleArn,
      [SparseTaskEnv.monitorDeadLetterQueueArn]: this.monitorDeadLetterQueue.queueArn,
      [SparseTaskEnv.schedulerRetryAttempts]: String(props.schedulerRetryAttempts ?? D.schedulerRetryAttempts),
    };
    if (props.submitterHandler instanceof LambdaFunction) {
      for (const [key, value] of Object.entries(environment)) props.submitterHandler.addEnvironment(key, value);
    }
    const submissions = new WorkQueue(this, 'Submissions', {
      ...(props.submitterHandler ? { handler: props.submitterHandler } : { entry: props.submitterEntry, environment: { ...props.submitterEnvironment, ...environment } }),
      timeout: props.submitterTimeout,
      memorySize: props.submitterMemorySize,
      batchSize: props.submitterBatchSize ?? D.batchSize,
      maxConcurrency: props.submitterMaxConcurrency,
      serviceName: this.serviceName,
    });
    const fn = submissions.workerFunction;
    this.grantTaskWrites(fn, 'dynamodb:PutItem');
    // Create and read back (re-arming adopts an existing schedule's time); delete a duplicate's extra schedule.
    grantScheduleActions(this, 'Submitter', fn, this.scheduleGroup, 'CreateSchedule', 'GetSchedule', 'DeleteSchedule');
    grantPassRoleToScheduler(fn, this.schedulerRole);
    return submissions;
  }

  private buildCompletionRule(props: SparseTaskProps): Rule | undefined {
    if (!props.completionEventPattern) return undefined;
    return new Rule(this, 'CompletionRule', {
      eventBus: props.completionEventBus,
      eventPattern: props.completionEventPattern,
      targets: [new SqsQueue(this.completionQueue)],
      description: `Completions of ${this.node.path}`,
    });
  }

  private buildGauge(props: SparseTaskProps): IFunction {
    const fn = handlerFunction(this, 'PendingGauge', {
      entry: functionEntry('sparse-task', 'pending-gauge-handler.ts'),
      serviceName: this.serviceName,
      environment: this.sharedEnvironment(props),
      description: `pp-patterns SparseTask pending-task gauge of ${this.node.path}`,
    });
    Grant.addToPrincipal({ grantee: fn, actions: ['dynamodb:Query'], resourceArns: [this.pendingIndexArn()] });
    scheduleFunction(this, 'PendingGauge', fn, { schedule: Schedule.rate(props.pendingGaugeInterval ?? D.pendingGaugeInterval) });
    return fn;
  }
}
