/**
 * Identity-policy evaluation as IAM does it for one principal: an explicit Deny wins, else
 * any Allow allows, else the request is implicitly denied. Actions match case-insensitively
 * with `*`/`?` wildcards (`sqs:Send*`), resources case-sensitively; `NotAction` and
 * `NotResource` invert the match. Resource policies are combined in by `resource-policy.ts`;
 * permission boundaries and SCPs are not modelled.
 */
import { type ConditionContext, evaluateConditions } from './conditions';
import { globMatches } from './glob';

/** One IAM policy statement (identity policy). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny' | string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: PolicyStatement | readonly PolicyStatement[];
}

/** A policy document with the name it is known by (for explanations). */
export interface NamedPolicy {
  /** e.g. `HandlerServiceRoleDefaultPolicy` or a managed policy ARN. */
  readonly name: string;
  readonly document: PolicyDocument;
}

/** The outcome of evaluating one request. */
export interface Decision {
  readonly decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  /** The policy and statement that decided it (absent for an implicit deny). */
  readonly policy?: string;
  readonly sid?: string;
  /** Which kind of policy decided it. @default 'identity' */
  readonly source?: 'identity' | 'resource';
}

const list = (value: string | readonly string[] | undefined): readonly string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : value);

function actionMatches(s: PolicyStatement, action: string): boolean {
  if (s.NotAction !== undefined) return !list(s.NotAction).some((p) => globMatches(p, action, true));
  return list(s.Action).some((p) => globMatches(p, action, true));
}

function resourceMatches(s: PolicyStatement, resource: string): boolean {
  if (s.NotResource !== undefined) return !list(s.NotResource).some((p) => globMatches(p, resource, false));
  return list(s.Resource).some((p) => globMatches(p, resource, false));
}

/** Evaluates requests against the identity policies of one principal (a function's role). */
export class PolicyEvaluator {
  private readonly statements: { policy: string; statement: PolicyStatement }[];

  /** @param policies every policy attached to the principal */
  constructor(policies: readonly NamedPolicy[]) {
    this.statements = policies.flatMap(({ name, document }) =>
      (Array.isArray(document.Statement) ? document.Statement : [document.Statement as PolicyStatement]).map((statement) => ({ policy: name, statement })),
    );
  }

  /** Whether `action` (`service:Operation`) on `resourceArn` is allowed. */
  public isAllowed(action: string, resourceArn: string, context: ConditionContext = {}): boolean {
    return this.evaluate(action, resourceArn, context).decision === 'Allow';
  }

  /** The full decision, naming the deciding statement. */
  public evaluate(action: string, resourceArn: string, context: ConditionContext = {}): Decision {
    let allow: Decision | undefined;
    for (const { policy, statement } of this.statements) {
      if (!actionMatches(statement, action) || !resourceMatches(statement, resourceArn)) continue;
      const condition = evaluateConditions(statement.Condition, context);
      // An unsupported condition never grants, but still denies: stricter than AWS, never looser.
      if (statement.Effect === 'Deny' && condition !== 'false') return { decision: 'ExplicitDeny', policy, sid: statement.Sid };
      if (statement.Effect === 'Allow' && condition === 'true') allow ??= { decision: 'Allow', policy, sid: statement.Sid };
    }
    return allow ?? { decision: 'ImplicitDeny' };
  }
}

/** The message AWS gives for a denied request (used in AccessDenied errors). */
export function accessDeniedMessage(principalArn: string, action: string, resourceArn: string, decision: Decision): string {
  const why =
    decision.decision === 'ExplicitDeny'
      ? `with an explicit deny in ${decision.source === 'resource' ? 'a resource-based' : 'an identity-based'} policy (${decision.policy})`
      : `because no identity-based policy allows the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resourceArn} ${why}`;
}
