/**
 * Local IAM enforcement for the embedded runtime: gather a function role's policies from the
 * template, map each AWS request to the checks AWS makes, and evaluate them.
 *
 * ```ts
 * const { policies } = collectRolePolicies({ roleLogicalId, roleName, resources });
 * const evaluator = new PolicyEvaluator(policies);
 * const denied = firstDenied(evaluator, iamChecksFor('sqs', 'SendMessageBatch', body, lookups));
 * if (denied) // answer 403 AccessDeniedException with denied.message
 * ```
 */
import type { ConditionContext } from './conditions';
import { accessDeniedMessage, type Decision, type PolicyEvaluator } from './policy-evaluator';
import type { IamCheck } from './request-checks';

export type { ConditionContext } from './conditions';
export { MANAGED_POLICIES, managedPolicyDocument } from './managed-policies';
export { accessDeniedMessage, type Decision, type NamedPolicy, type PolicyDocument, PolicyEvaluator, type PolicyStatement } from './policy-evaluator';
export { iamActionFor, iamChecksFor, passRoleChecks, type ArnLookups, type IamCheck, type IamService } from './request-checks';
export { combineDecisions, ResourcePolicySet, type AttachedPolicy, type Caller, type ResourceStatement } from './resource-policy';
export { collectRolePolicies, type CollectRolePoliciesInput, type IamTemplateResource, type RolePolicies } from './role-policies';

/** A check that failed, with AWS's wording for the error. */
export interface DeniedCheck {
  readonly check: IamCheck;
  readonly decision: Decision;
  /** `User: <principal> is not authorized to perform: <action> on resource: <arn> ...` */
  readonly message: string;
}

/**
 * The first of `checks` the principal may not make, or undefined when all are allowed.
 * @param principalArn named in the message, e.g. `arn:aws:sts::<account>:assumed-role/<role>/<function>`
 */
export function firstDenied(evaluator: PolicyEvaluator, checks: readonly IamCheck[], principalArn = 'local-principal', context: ConditionContext = {}): DeniedCheck | undefined {
  for (const check of checks) {
    const decision = evaluator.evaluate(check.action, check.resource, { ...context, ...check.context });
    if (decision.decision !== 'Allow') return { check, decision, message: accessDeniedMessage(principalArn, check.action, check.resource, decision) };
  }
  return undefined;
}
