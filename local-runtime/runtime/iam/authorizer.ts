/**
 * IAM enforcement for the template's roles: a role's policies are gathered from the resolved
 * template (inline, attached, managed) once, and evaluated for every request its principal
 * makes. A role that is not in the template (an imported ARN) is not enforced, with a warning.
 */
import { collectRolePolicies, PolicyEvaluator, type IamTemplateResource, type ResourcePolicySet } from '../../iam';
import { RoleEvaluator } from './resource-policies';
import type { ResourceCatalog } from '../template/catalog';

/** The policy evaluator of a role, by ARN; undefined when the role is not enforced. */
export type RoleAuthorizer = (roleArn: string) => PolicyEvaluator | undefined;

const IAM_TYPES = ['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'];

/**
 * Builds the authorizer of a stack.
 *
 * @param catalog the stack's resources
 * @param warnings receives one line per role that cannot be (fully) enforced
 * @param resourcePolicies the stack's resource policies, evaluated with each role's own (@default - none)
 */
export function roleAuthorizer(catalog: ResourceCatalog, warnings: string[], resourcePolicies?: ResourcePolicySet): RoleAuthorizer {
  const cache = new Map<string, PolicyEvaluator | undefined>();
  let resources: IamTemplateResource[] | undefined;
  return (roleArn) => {
    if (cache.has(roleArn)) return cache.get(roleArn);
    resources ??= IAM_TYPES.flatMap((type) => catalog.ofType(type).map(([logicalId]) => ({ logicalId, type, properties: catalog.properties(logicalId) })));
    const role = catalog.ofType('AWS::IAM::Role').find(([id]) => catalog.getAtt(id, 'Arn') === roleArn);
    let evaluator: PolicyEvaluator | undefined;
    if (!role) {
      warnings.push(`role ${roleArn} is not defined in the stack: its permissions are not enforced`);
    } else {
      const collected = collectRolePolicies({ roleLogicalId: role[0], roleName: catalog.physicalName(role[0]), resources });
      for (const arn of collected.unknownManagedPolicyArns) warnings.push(`role ${role[0]}: managed policy ${arn} is unknown locally and grants nothing`);
      const accountId = roleArn.split(':')[4] ?? '';
      evaluator = resourcePolicies ? new RoleEvaluator(collected.policies, resourcePolicies, { kind: 'role', roleArn, accountId }) : new PolicyEvaluator(collected.policies);
    }
    cache.set(roleArn, evaluator);
    return evaluator;
  };
}
