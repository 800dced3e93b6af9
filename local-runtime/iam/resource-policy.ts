/**
 * Resource-based policies (queue and topic policies, Lambda permissions, bucket and event bus
 * policies) evaluated as IAM does within one account: a statement applies when its action,
 * resource, principal and conditions match; an explicit Deny in either the identity or the
 * resource policy denies; otherwise an Allow in either allows. A resource policy naming the
 * account (`arn:aws:iam::<account>:root`) grants nothing by itself: it delegates to the
 * caller's identity policies (but its Deny still applies to every principal of the account).
 */
import { type ConditionContext, evaluateConditions } from './conditions';
import { globMatches } from './glob';
import type { Decision, PolicyStatement } from './policy-evaluator';

/** A statement of a resource policy, with its `Principal`. */
export interface ResourceStatement extends PolicyStatement {
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
}

/** One resource policy: its statements and the resources it is attached to. */
export interface AttachedPolicy {
  /** The template's logical id, named in decisions and warnings. */
  readonly name: string;
  readonly type: string;
  /** ARNs (IAM wildcards allowed, e.g. a bucket's `arn:aws:s3:::b/*`). */
  readonly attachedTo: readonly string[];
  readonly statements: readonly ResourceStatement[];
}

/** Who is asking: a role of the stack (by role and session ARN) or an AWS service. */
export type Caller =
  | { readonly kind: 'role'; readonly roleArn: string; readonly sessionArn?: string; readonly accountId: string }
  | { readonly kind: 'service'; readonly service: string };

const list = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

function principalIn(principal: unknown, caller: Caller, effect: string): boolean {
  if (principal === '*') return true;
  const p = (principal ?? {}) as Record<string, unknown>;
  if (caller.kind === 'service') return list(p.Service).includes(caller.service);
  return list(p.AWS).some((value) => {
    if (value === '*' || value === caller.roleArn || value === caller.sessionArn) return true;
    // The account itself: delegation to identity policies for Allow, everyone in it for Deny.
    return effect === 'Deny' && (value === caller.accountId || value === `arn:aws:iam::${caller.accountId}:root`);
  });
}

function statementMatches(s: ResourceStatement, caller: Caller, action: string, resource: string): boolean {
  const actionHit = s.NotAction !== undefined ? !list(s.NotAction).some((a) => globMatches(a, action, true)) : list(s.Action).some((a) => globMatches(a, action, true));
  if (!actionHit) return false;
  if (s.NotResource !== undefined && list(s.NotResource).some((r) => globMatches(r, resource, false))) return false;
  if (s.Resource !== undefined && !list(s.Resource).some((r) => globMatches(r, resource, false))) return false;
  if (s.NotPrincipal !== undefined) return !principalIn(s.NotPrincipal, caller, s.Effect);
  return principalIn(s.Principal, caller, s.Effect);
}

/** Every resource policy of a stack. */
export class ResourcePolicySet {
  /** @param policies the policies, each with the resources it is attached to */
  constructor(public readonly policies: readonly AttachedPolicy[]) {}

  /**
   * The resource policies' decision for one request, or undefined when no policy is attached
   * to the resource (then only identity policies decide).
   */
  public evaluate(caller: Caller, action: string, resource: string, context: ConditionContext = {}): Decision | undefined {
    const attached = this.policies.filter((p) => p.attachedTo.some((arn) => globMatches(arn, resource, false)));
    if (attached.length === 0) return undefined;
    let allow: Decision | undefined;
    for (const policy of attached) {
      for (const s of policy.statements) {
        if (!statementMatches(s, caller, action, resource)) continue;
        const condition = evaluateConditions(s.Condition, context);
        if (s.Effect === 'Deny' && condition !== 'false') return { decision: 'ExplicitDeny', policy: policy.name, sid: s.Sid, source: 'resource' };
        if (s.Effect === 'Allow' && condition === 'true') allow ??= { decision: 'Allow', policy: policy.name, sid: s.Sid, source: 'resource' };
      }
    }
    return allow ?? { decision: 'ImplicitDeny', source: 'resource' };
  }
}

/** Combines an identity decision with a resource policy's (same account): Deny wins, then any Allow. */
export function combineDecisions(identity: Decision, resource: Decision | undefined): Decision {
  if (!resource) return identity;
  if (identity.decision === 'ExplicitDeny') return identity;
  if (resource.decision === 'ExplicitDeny') return resource;
  if (identity.decision === 'Allow') return identity;
  return resource.decision === 'Allow' ? resource : identity;
}
