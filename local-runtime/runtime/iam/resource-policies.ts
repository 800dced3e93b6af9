/**
 * The template's resource policies — `AWS::SQS::QueuePolicy`, `AWS::SNS::TopicPolicy`,
 * `AWS::Lambda::Permission`, `AWS::S3::BucketPolicy`, `AWS::Events::EventBusPolicy` — gathered
 * into one {@link ResourcePolicySet}. They are evaluated for the requests of the stack's roles
 * (functions, state machines) together with the role's own policies, and for EventBridge
 * rule deliveries to queues and functions (as `events.amazonaws.com`, with `aws:SourceArn`).
 * Grants to other services are never consulted locally (their deliveries are not checked):
 * each policy holding one gets a boot warning.
 */
import { type Caller, combineDecisions, type ConditionContext, type Decision, type NamedPolicy, PolicyEvaluator, type ResourceStatement, ResourcePolicySet, type AttachedPolicy } from '../../iam';
import type { ResourceCatalog } from '../template/catalog';

/** The service principals whose requests are checked against resource policies. */
export const EVALUATED_SERVICES: ReadonlySet<string> = new Set(['events.amazonaws.com']);

type Props = Record<string, unknown>;

const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
/** The statements of a policy document (one or a list). */
export const statementsOf = (doc: unknown): ResourceStatement[] => list((doc as { Statement?: unknown } | undefined)?.Statement) as ResourceStatement[];

function queueArn(url: string, region: string): string {
  const [account, name] = url.split('?')[0]!.split('/').filter(Boolean).slice(-2);
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

function functionArn(name: string, region: string, accountId: string): string {
  if (name.startsWith('arn:')) return name;
  const partial = /^(\d{12}):function:(.+)$/.exec(name);
  return partial ? `arn:aws:lambda:${region}:${partial[1]}:function:${partial[2]}` : `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

/** A Lambda permission as the statement Lambda adds to the function's policy. */
function permissionStatement(id: string, p: Props, resource: string): ResourceStatement {
  const principal = String(p.Principal ?? '');
  const condition: Record<string, Record<string, unknown>> = {};
  if (p.SourceArn !== undefined) condition.ArnLike = { 'aws:SourceArn': p.SourceArn };
  if (p.SourceAccount !== undefined) condition.StringEquals = { 'aws:SourceAccount': p.SourceAccount };
  if (p.PrincipalOrgID !== undefined) condition.StringEquals = { ...condition.StringEquals, 'aws:PrincipalOrgID': p.PrincipalOrgID };
  const who = principal === '*' ? '*' : principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: /^\d{12}$/.test(principal) ? `arn:aws:iam::${principal}:root` : principal };
  return { Sid: id, Effect: 'Allow', Principal: who, Action: String(p.Action), Resource: resource, ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}) };
}

function attached(catalog: ResourceCatalog, id: string, type: string, region: string, accountId: string): AttachedPolicy | undefined {
  const p = catalog.properties(id);
  const name = id;
  switch (type) {
    case 'AWS::SQS::QueuePolicy':
      return { name, type, attachedTo: list(p.Queues).map((q) => queueArn(String(q), region)), statements: statementsOf(p.PolicyDocument) };
    case 'AWS::SNS::TopicPolicy':
      return { name, type, attachedTo: list(p.Topics).map(String), statements: statementsOf(p.PolicyDocument) };
    case 'AWS::S3::BucketPolicy':
      return { name, type, attachedTo: [`arn:aws:s3:::${String(p.Bucket)}`, `arn:aws:s3:::${String(p.Bucket)}/*`], statements: statementsOf(p.PolicyDocument) };
    case 'AWS::Lambda::Permission': {
      const arn = functionArn(String(p.FunctionName), region, accountId);
      // A permission on a version or alias does not apply to the unqualified function the runtime runs.
      if (arn.split(':').length > 7) return undefined;
      return { name, type, attachedTo: [arn], statements: [permissionStatement(id, p, arn)] };
    }
    case 'AWS::Events::EventBusPolicy': {
      const bus = `arn:aws:events:${region}:${accountId}:event-bus/${String(p.EventBusName ?? 'default')}`;
      const statement = p.Statement ? (p.Statement as ResourceStatement) : { Sid: String(p.StatementId), Effect: 'Allow', Principal: { AWS: p.Principal }, Action: p.Action as string, Resource: bus, Condition: p.Condition as never };
      return { name, type, attachedTo: [bus], statements: [statement] };
    }
  }
  return undefined;
}

/** The types read, in the order warnings name them. */
export const RESOURCE_POLICY_TYPES = ['AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy', 'AWS::Lambda::Permission', 'AWS::S3::BucketPolicy', 'AWS::Events::EventBusPolicy'] as const;

function unevaluatedServices(policy: AttachedPolicy): string[] {
  const services = policy.statements.flatMap((s) => list(((s.Principal ?? s.NotPrincipal) as { Service?: unknown } | undefined)?.Service).map(String));
  return [...new Set(services)].filter((s) => !EVALUATED_SERVICES.has(s));
}

/**
 * Reads every resource policy of the stack.
 * @param warnings receives one line per policy (logical id, type) that is not (fully) evaluated
 */
export function stackResourcePolicies(catalog: ResourceCatalog, region: string, accountId: string, warnings: string[]): ResourcePolicySet {
  const policies: AttachedPolicy[] = [];
  for (const type of RESOURCE_POLICY_TYPES) {
    for (const [id] of catalog.ofType(type)) {
      const policy = attached(catalog, id, type, region, accountId);
      if (!policy) {
        warnings.push(`resource policy ${id} (${type}): a permission on a function version or alias is not evaluated`);
        continue;
      }
      policies.push(policy);
      const services = unevaluatedServices(policy);
      if (services.length > 0) warnings.push(`resource policy ${id} (${type}): its statements for ${services.join(', ')} are not evaluated (that service's requests are not checked locally)`);
    }
  }
  const set = new ResourcePolicySet(policies);
  warnings.push(...unadmittedRuleTargets(catalog, set, accountId));
  return set;
}

/**
 * The template's rule targets (queues, functions) whose policy does not admit their rule:
 * their deliveries will fail, as on AWS, where the failure is only a metric.
 */
function unadmittedRuleTargets(catalog: ResourceCatalog, policies: ResourcePolicySet, accountId: string): string[] {
  return catalog.ofType('AWS::Events::Rule').flatMap(([id]) => {
    const ruleArn = String(catalog.getAtt(id, 'Arn'));
    return list(catalog.properties(id).Targets).flatMap((t) => {
      const arn = String((t as Props).Arn ?? '');
      const service = arn.split(':')[2];
      if (service !== 'sqs' && service !== 'lambda') return [];
      const action = service === 'sqs' ? 'sqs:SendMessage' : 'lambda:InvokeFunction';
      const decision = policies.evaluate({ kind: 'service', service: 'events.amazonaws.com' }, action, arn, { 'aws:SourceArn': ruleArn, 'aws:SourceAccount': accountId, 'aws:SecureTransport': 'true' });
      if (decision?.decision === 'Allow') return [];
      return [`rule ${id}: target ${arn} has no ${service === 'sqs' ? 'queue policy' : 'Lambda permission'} admitting events.amazonaws.com for this rule; its deliveries fail, as on AWS`];
    });
  });
}

/** A role's identity policies combined with the stack's resource policies. */
export class RoleEvaluator extends PolicyEvaluator {
  /**
   * @param policies the role's identity policies
   * @param resources the stack's resource policies
   * @param caller the role
   */
  constructor(policies: readonly NamedPolicy[], private readonly resources: ResourcePolicySet, private readonly caller: Caller & { kind: 'role' }) {
    super(policies);
  }

  /** @inheritdoc */
  public override evaluate(action: string, resourceArn: string, context: ConditionContext = {}): Decision {
    const identity = super.evaluate(action, resourceArn, context);
    const principal = { 'aws:PrincipalArn': this.caller.roleArn, 'aws:PrincipalAccount': this.caller.accountId };
    return combineDecisions(identity, this.resources.evaluate(this.caller, action, resourceArn, { ...principal, ...context }));
  }
}
