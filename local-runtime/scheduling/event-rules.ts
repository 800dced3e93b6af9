/**
 * EventBridge rules' data model and the events they see: the PutEvents envelope and the
 * "Scheduled Event" a scheduled rule emits.
 */
import { randomUUID } from 'node:crypto';
import { AwsServiceError, validationError } from './errors';
import { type EventPattern, parseEventPattern } from './event-pattern';
import { type ParsedSchedule, parseScheduleExpression } from './schedule-expression';
import type { TargetInputSettings } from './target-input';

/** A rule target (`AWS::Events::Rule` Targets[] / PutTargets). */
export interface RuleTarget extends TargetInputSettings {
  /** Unique within the rule. */
  readonly Id: string;
  /** Lambda function, SQS queue or state machine ARN. */
  readonly Arn: string;
  /** The role EventBridge assumes (state machine targets). */
  readonly RoleArn?: string;
  /** SQS FIFO targets: the message group id. */
  readonly SqsParameters?: { readonly MessageGroupId?: string };
  /** Where a failed delivery's input goes. */
  readonly DeadLetterConfig?: { readonly Arn?: string };
}

/** PutRule input. */
export interface RuleInput {
  /** 1–64 of `[.-_A-Za-z0-9]`, unique on its bus. */
  readonly Name: string;
  /** Bus name or ARN. @default 'default' */
  readonly EventBusName?: string;
  /** JSON text or object; a rule has a pattern, a schedule, or both. */
  readonly EventPattern?: string | object;
  /** `rate(...)` or `cron(...)` (only on the default bus). */
  readonly ScheduleExpression?: string;
  /** `ENABLED` (default), `DISABLED`, `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`. */
  readonly State?: string;
  /** Free text. */
  readonly Description?: string;
}

/** A validated rule. */
export interface Rule {
  /** The rule's name. */
  readonly name: string;
  /** `arn:aws:events:<region>:<account>:rule/[<bus>/]<name>`. */
  readonly arn: string;
  /** The bus it listens on. */
  readonly busName: string;
  /** The parsed event pattern, for pattern rules. */
  readonly pattern?: EventPattern;
  /** The parsed schedule, for scheduled rules. */
  readonly schedule?: ParsedSchedule;
  /** False when State is DISABLED. */
  readonly enabled: boolean;
  /** The PutRule input it was built from. */
  readonly input: RuleInput;
  /** Its targets by Id. */
  readonly targets: Map<string, RuleTarget>;
}

/** One PutEvents entry. */
export interface PutEventsEntry {
  /** Required: the event's `source`. */
  readonly Source?: string;
  /** Required: the event's `detail-type`. */
  readonly DetailType?: string;
  /** Required: the event's `detail`, a JSON object as text. */
  readonly Detail?: string;
  /** Bus name or ARN. @default 'default' */
  readonly EventBusName?: string;
  /** The event's `resources`. @default [] */
  readonly Resources?: string[];
  /** Epoch ms. @default - now */
  readonly Time?: number;
}

/** A bus name out of a name or ARN. */
export function busNameOf(nameOrArn: string | undefined): string {
  if (!nameOrArn) return 'default';
  const m = /^arn:aws[\w-]*:events:[^:]*:\d*:event-bus\/(.+)$/.exec(nameOrArn);
  return m ? m[1] : nameOrArn;
}

/** EventBridge's timestamp format: ISO 8601 without milliseconds. */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Validates a PutRule input into a {@link Rule} (targets empty), collecting every problem.
 * @throws AwsServiceError ValidationException or InvalidEventPatternException
 */
export function buildRule(input: RuleInput, arn: string): Rule {
  const problems: string[] = [];
  if (typeof input.Name !== 'string' || !/^[\w.-]{1,64}$/.test(input.Name)) problems.push(`Name must be 1-64 of [.-_A-Za-z0-9], got ${JSON.stringify(input.Name)}`);
  if (input.EventPattern === undefined && input.ScheduleExpression === undefined) problems.push('a rule needs EventPattern or ScheduleExpression');
  const busName = busNameOf(input.EventBusName);
  if (input.ScheduleExpression !== undefined && busName !== 'default') problems.push(`ScheduleExpression is only supported on the default bus, got bus "${busName}"`);
  let schedule: ParsedSchedule | undefined;
  try {
    if (input.ScheduleExpression !== undefined) schedule = parseScheduleExpression(input.ScheduleExpression, { allowAt: false });
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (problems.length > 0) throw validationError(problems.join('; '));
  const pattern = input.EventPattern === undefined ? undefined : parseEventPattern(input.EventPattern);
  const enabled = (input.State ?? 'ENABLED').startsWith('ENABLED');
  return { name: input.Name, arn, busName, pattern, schedule, enabled, input, targets: new Map() };
}

/**
 * Builds the event an accepted PutEvents entry becomes.
 * @throws AwsServiceError with the per-entry ErrorCode (`InvalidArgument`, `MalformedDetail`)
 */
export function buildEvent(entry: PutEventsEntry, now: number, account: { region: string; accountId: string }): Record<string, unknown> {
  const missing = (['Source', 'DetailType', 'Detail'] as const).filter((k) => typeof entry[k] !== 'string' || entry[k] === '');
  if (missing.length > 0) throw new AwsServiceError('InvalidArgument', 400, `Parameter(s) ${missing.join(', ')} must be specified.`);
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    throw new AwsServiceError('MalformedDetail', 400, 'Detail is malformed.');
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) throw new AwsServiceError('MalformedDetail', 400, 'Detail is malformed.');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: account.accountId,
    time: eventTime(entry.Time ?? now),
    region: account.region,
    resources: entry.Resources ?? [],
    detail,
  };
}

/** The event a scheduled rule emits when it fires. */
export function scheduledEvent(ruleArn: string, at: number, account: { region: string; accountId: string }): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: account.accountId,
    time: eventTime(at),
    region: account.region,
    resources: [ruleArn],
    detail: {},
  };
}
