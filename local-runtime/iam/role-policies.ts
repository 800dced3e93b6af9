/**
 * Gathers every identity policy a template's role ends up with: its inline `Policies`, its
 * `ManagedPolicyArns` (AWS managed ones from the built-in table, customer managed ones from
 * the runtime), and the `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` resources that name
 * it in `Roles` (where CDK puts most grants).
 */
import { managedPolicyDocument } from './managed-policies';
import type { NamedPolicy, PolicyDocument } from './policy-evaluator';

/** A template resource with resolved properties (same shape the scheduling module uses). */
export interface IamTemplateResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
}

/** Input of {@link collectRolePolicies}. */
export interface CollectRolePoliciesInput {
  /** The role's logical id in the template. */
  readonly roleLogicalId: string;
  /** The role's physical name: what `Ref` to the role resolved to (policies' `Roles` hold it). */
  readonly roleName: string;
  /** Every resource of the template, properties resolved. */
  readonly resources: readonly IamTemplateResource[];
  /**
   * Customer managed policy documents by ARN, for `ManagedPolicyArns` pointing at them.
   * @default - AWS::IAM::ManagedPolicy resources are still found through their `Roles`
   */
  readonly customManagedPolicies?: Readonly<Record<string, PolicyDocument>>;
}

/** The role's policies, and the managed policy ARNs that could not be expanded. */
export interface RolePolicies {
  readonly policies: NamedPolicy[];
  /** Managed policies neither built in nor given: their permissions are missing locally. */
  readonly unknownManagedPolicyArns: string[];
}

function rolesOf(properties: Record<string, unknown>): unknown[] {
  return Array.isArray(properties.Roles) ? properties.Roles : [];
}

/** Collects the policies attached to one role of the template. */
export function collectRolePolicies(input: CollectRolePoliciesInput): RolePolicies {
  const policies: NamedPolicy[] = [];
  const unknownManagedPolicyArns: string[] = [];
  const role = input.resources.find((r) => r.logicalId === input.roleLogicalId && r.type === 'AWS::IAM::Role');
  const inline = (role?.properties.Policies ?? []) as { PolicyName?: string; PolicyDocument: PolicyDocument }[];
  for (const p of inline) policies.push({ name: `${input.roleLogicalId}/${p.PolicyName ?? 'inline'}`, document: p.PolicyDocument });
  for (const arn of (role?.properties.ManagedPolicyArns ?? []) as string[]) {
    const document = managedPolicyDocument(arn) ?? input.customManagedPolicies?.[arn];
    if (document) policies.push({ name: arn, document });
    else unknownManagedPolicyArns.push(arn);
  }
  const attached = (r: IamTemplateResource) => rolesOf(r.properties).some((x) => x === input.roleName || x === input.roleLogicalId);
  for (const r of input.resources) {
    if ((r.type === 'AWS::IAM::Policy' || r.type === 'AWS::IAM::ManagedPolicy') && attached(r)) {
      policies.push({ name: r.logicalId, document: r.properties.PolicyDocument as PolicyDocument });
    }
  }
  return { policies, unknownManagedPolicyArns };
}
