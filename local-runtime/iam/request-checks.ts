/**
 * Maps an AWS API request to the IAM checks AWS makes for it: the IAM action
 * (`sqs:SendMessage` for SendMessageBatch) and every resource ARN it touches (each table of
 * a BatchWriteItem, the index of a Query, the bus of each PutEvents entry), plus
 * `iam:PassRole` for requests that hand a role to a service.
 */
import { s3IamChecks } from './s3-checks';

/** The services whose requests are mapped. */
export type IamService = 'sqs' | 'dynamodb' | 'scheduler' | 'states' | 'events' | 'lambda' | 'sns' | 's3';

/** What the mapping needs from the runtime. */
export interface ArnLookups {
  readonly region: string;
  readonly accountId: string;
  /**
   * The ARN of the queue behind an emulator queue URL.
   * @default - derived from the URL's last two path segments (`/<account>/<name>`)
   */
  readonly queueArnForUrl?: (queueUrl: string) => string | undefined;
}

/** One authorization check: the action must be allowed on the resource. */
export interface IamCheck {
  readonly action: string;
  readonly resource: string;
  /**
   * Condition keys AWS sets for this check only (e.g. `iam:PassedToService` on `iam:PassRole`).
   * @default - only the request-wide context
   */
  readonly context?: Readonly<Record<string, string>>;
}

/** The service principal a role is passed to, the `iam:PassedToService` condition key. */
const PASSED_TO_SERVICE: Partial<Record<IamService, string>> = {
  scheduler: 'scheduler.amazonaws.com',
  events: 'events.amazonaws.com',
};

type Params = Record<string, unknown>;

const SQS_ACTION: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

/** The IAM action of an operation, e.g. `('sqs', 'SendMessageBatch')` → `sqs:SendMessage`. */
export function iamActionFor(service: IamService, operation: string): string {
  if (service === 'sqs') return `sqs:${SQS_ACTION[operation] ?? operation}`;
  if (service === 'lambda' && (operation === 'Invoke' || operation === 'InvokeAsync')) return 'lambda:InvokeFunction';
  if (service === 'sns' && operation === 'PublishBatch') return 'sns:Publish';
  return `${service}:${operation}`;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function queueArn(p: Params, l: ArnLookups): string {
  const url = str(p.QueueUrl);
  if (url) {
    const known = l.queueArnForUrl?.(url);
    if (known) return known;
    const [account, name] = new URL(url).pathname.split('/').filter(Boolean).slice(-2);
    return `arn:aws:sqs:${l.region}:${account}:${name}`;
  }
  const name = str(p.QueueName);
  return name ? `arn:aws:sqs:${l.region}:${str(p.QueueOwnerAWSAccountId) ?? l.accountId}:${name}` : '*';
}

function tableArn(table: string, l: ArnLookups): string {
  return table.startsWith('arn:') ? table : `arn:aws:dynamodb:${l.region}:${l.accountId}:table/${table}`;
}

function dynamoChecks(op: string, p: Params, l: ArnLookups): IamCheck[] {
  if (op === 'BatchWriteItem' || op === 'BatchGetItem') {
    return Object.keys((p.RequestItems ?? {}) as Params).map((t) => ({ action: `dynamodb:${op}`, resource: tableArn(t, l) }));
  }
  if (op === 'TransactWriteItems' || op === 'TransactGetItems') {
    const kinds: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };
    return ((p.TransactItems ?? []) as Params[]).flatMap((item) =>
      Object.entries(item).map(([kind, body]) => ({ action: `dynamodb:${kinds[kind] ?? kind}`, resource: tableArn(String((body as Params).TableName), l) })),
    );
  }
  const table = str(p.TableName);
  if (!table) return [{ action: `dynamodb:${op}`, resource: '*' }];
  const index = str(p.IndexName);
  return [{ action: `dynamodb:${op}`, resource: index ? `${tableArn(table, l)}/index/${index}` : tableArn(table, l) }];
}

function schedulerChecks(op: string, p: Params, l: ArnLookups): IamCheck[] {
  const name = str(p.Name);
  const resource = name ? `arn:aws:scheduler:${l.region}:${l.accountId}:schedule/${str(p.GroupName) ?? 'default'}/${name}` : '*';
  return [{ action: `scheduler:${op}`, resource }, ...passRoleChecks('scheduler', op, p)];
}

function busArn(bus: string | undefined, l: ArnLookups): string {
  if (bus?.startsWith('arn:')) return bus;
  return `arn:aws:events:${l.region}:${l.accountId}:event-bus/${bus ?? 'default'}`;
}

function eventsChecks(op: string, p: Params, l: ArnLookups): IamCheck[] {
  if (op === 'PutEvents') {
    const buses = new Set(((p.Entries ?? []) as Params[]).map((e) => busArn(str(e.EventBusName), l)));
    return [...buses].map((resource) => ({ action: 'events:PutEvents', resource }));
  }
  const rule = str(p.Name) ?? str(p.Rule);
  const bus = str(p.EventBusName)?.replace(/^arn:.*:event-bus\//, '');
  const resource = rule ? `arn:aws:events:${l.region}:${l.accountId}:rule/${bus && bus !== 'default' ? `${bus}/` : ''}${rule}` : '*';
  return [{ action: `events:${op}`, resource }, ...passRoleChecks('events', op, p)];
}

function functionArn(name: string, l: ArnLookups): string {
  if (name.startsWith('arn:')) return name;
  return `arn:aws:lambda:${l.region}:${l.accountId}:function:${name}`;
}

/** The `iam:PassRole` checks of a request that hands a role to a service (Scheduler targets, rule targets). */
export function passRoleChecks(service: IamService, operation: string, params: Params): IamCheck[] {
  const roles: unknown[] = [];
  if (service === 'scheduler' && (operation === 'CreateSchedule' || operation === 'UpdateSchedule')) roles.push((params.Target as Params | undefined)?.RoleArn);
  if (service === 'events' && operation === 'PutTargets') roles.push(...((params.Targets ?? []) as Params[]).map((t) => t.RoleArn));
  const passedTo = PASSED_TO_SERVICE[service];
  const context = passedTo === undefined ? {} : { context: { 'iam:PassedToService': passedTo } };
  return roles.filter((r): r is string => typeof r === 'string').map((resource) => ({ action: 'iam:PassRole', resource, ...context }));
}

/**
 * Every IAM check AWS makes for one request. All must pass.
 * @param params the request's parameters (JSON body; for Scheduler, path and query merged in)
 */
export function iamChecksFor(service: IamService, operation: string, params: Params, lookups: ArnLookups): IamCheck[] {
  const action = iamActionFor(service, operation);
  switch (service) {
    case 'sqs':
      return [{ action, resource: operation === 'ListQueues' ? '*' : queueArn(params, lookups) }];
    case 'dynamodb':
      return dynamoChecks(operation, params, lookups);
    case 'scheduler':
      return schedulerChecks(operation, params, lookups);
    case 'events':
      return eventsChecks(operation, params, lookups);
    case 'states':
      return [{ action, resource: str(params.executionArn) ?? str(params.mapRunArn) ?? str(params.stateMachineArn) ?? '*' }];
    case 'lambda':
      return [{ action, resource: str(params.FunctionName) ? functionArn(String(params.FunctionName), lookups) : '*' }];
    case 'sns':
      return [{ action, resource: str(params.TopicArn) ?? str(params.TargetArn) ?? '*' }];
    case 's3':
      return s3IamChecks(operation, params);
  }
}
