/**
 * Which IAM actions on which resources a request needs, as AWS authorizes it: batch
 * operations are authorized by their single-item action (`SendMessageBatch` needs
 * `sqs:SendMessage`), a DynamoDB batch needs the action on every table it names, a query on
 * an index needs it on the index ARN, and creating a schedule needs `iam:PassRole` on its role.
 */
import type { IdentifiedRequest } from './identify';

/** One authorization check: the caller must be allowed `action` on `resource`. */
export interface AuthzCheck {
  readonly action: string;
  readonly resource: string;
}

/** The account and region ARNs are built in. */
export interface ArnContext {
  readonly region: string;
  readonly accountId: string;
}

const SQS_BATCH: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

function last(text: string, sep: string): string {
  return text.slice(text.lastIndexOf(sep) + 1);
}

function sqsChecks(r: IdentifiedRequest, ctx: ArnContext): AuthzCheck[] {
  const action = `sqs:${SQS_BATCH[r.operation] ?? r.operation}`;
  const url = r.input.QueueUrl;
  const name = typeof url === 'string' ? last(url, '/') : typeof r.input.QueueName === 'string' ? r.input.QueueName : '*';
  return [{ action, resource: name === '*' ? '*' : `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${name}` }];
}

function tableArn(ctx: ArnContext, table: string, index?: unknown): string {
  const base = table.startsWith('arn:') ? table : `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${table}`;
  return typeof index === 'string' ? `${base}/index/${index}` : base;
}

const TRANSACT_ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };

function dynamoChecks(r: IdentifiedRequest, ctx: ArnContext): AuthzCheck[] {
  const { input } = r;
  if (r.operation === 'BatchWriteItem' || r.operation === 'BatchGetItem') {
    return Object.keys((input.RequestItems ?? {}) as object).map((t) => ({ action: `dynamodb:${r.operation}`, resource: tableArn(ctx, t) }));
  }
  if (r.operation === 'TransactWriteItems' || r.operation === 'TransactGetItems') {
    return ((input.TransactItems ?? []) as Record<string, { TableName: string }>[]).flatMap((item) =>
      Object.entries(item).map(([kind, body]) => ({ action: `dynamodb:${TRANSACT_ACTIONS[kind] ?? kind}`, resource: tableArn(ctx, body.TableName) })),
    );
  }
  const table = typeof input.TableName === 'string' ? input.TableName : '*';
  return [{ action: `dynamodb:${r.operation}`, resource: table === '*' ? '*' : tableArn(ctx, table, input.IndexName) }];
}

function statesChecks(r: IdentifiedRequest): AuthzCheck[] {
  const arn = r.input.stateMachineArn ?? r.input.executionArn ?? '*';
  return [{ action: `states:${r.operation}`, resource: String(arn) }];
}

function eventsChecks(r: IdentifiedRequest, ctx: ArnContext): AuthzCheck[] {
  if (r.operation !== 'PutEvents') return [{ action: `events:${r.operation}`, resource: '*' }];
  const buses = new Set(((r.input.Entries ?? []) as { EventBusName?: string }[]).map((e) => e.EventBusName ?? 'default'));
  return [...buses].map((bus) => ({
    action: 'events:PutEvents',
    resource: bus.startsWith('arn:') ? bus : `arn:aws:events:${ctx.region}:${ctx.accountId}:event-bus/${bus}`,
  }));
}

function schedulerChecks(r: IdentifiedRequest, ctx: ArnContext, path: string, query: URLSearchParams): AuthzCheck[] {
  const segments = path.split('/').filter(Boolean);
  const name = segments[1] ? decodeURIComponent(segments[1]) : undefined;
  if (segments[0] !== 'schedules' || !name) return [{ action: `scheduler:${r.operation}`, resource: '*' }];
  const group = String(r.input.GroupName ?? query.get('groupName') ?? 'default');
  const checks: AuthzCheck[] = [{ action: `scheduler:${r.operation}`, resource: `arn:aws:scheduler:${ctx.region}:${ctx.accountId}:schedule/${group}/${name}` }];
  const role = (r.input.Target as { RoleArn?: string } | undefined)?.RoleArn;
  if (role && (r.operation === 'CreateSchedule' || r.operation === 'UpdateSchedule')) checks.push({ action: 'iam:PassRole', resource: role });
  return checks;
}

function snsChecks(r: IdentifiedRequest): AuthzCheck[] {
  const action = r.operation === 'PublishBatch' ? 'Publish' : r.operation;
  return [{ action: `sns:${action}`, resource: String(r.input.TopicArn ?? r.input.TargetArn ?? '*') }];
}

function lambdaChecks(r: IdentifiedRequest, ctx: ArnContext, path: string): AuthzCheck[] {
  const fn = decodeURIComponent(path.split('/')[3] ?? '*');
  const arn = fn.startsWith('arn:') ? fn : `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${fn}`;
  return [{ action: r.operation === 'Invoke' ? 'lambda:InvokeFunction' : `lambda:${r.operation}`, resource: arn }];
}

/**
 * The authorization checks a request needs.
 *
 * @param request the identified request
 * @param url its path and query (REST-JSON resources live there)
 * @param ctx region and account of the ARNs
 */
export function authzChecks(request: IdentifiedRequest, url: string, ctx: ArnContext): AuthzCheck[] {
  const [path = '', query = ''] = url.split('?');
  switch (request.service) {
    case 'sqs':
      return sqsChecks(request, ctx);
    case 'dynamodb':
      return dynamoChecks(request, ctx);
    case 'states':
      return statesChecks(request);
    case 'events':
      return eventsChecks(request, ctx);
    case 'scheduler':
      return schedulerChecks(request, ctx, path, new URLSearchParams(query));
    case 'sns':
      return snsChecks(request);
    case 'lambda':
      return lambdaChecks(request, ctx, path);
    default:
      return [{ action: `${request.service}:${request.operation}`, resource: '*' }];
  }
}
