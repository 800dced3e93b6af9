import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 (wildcard permission) for one exact resource ARN on
 * one construct, and nothing else: a wildcard that appears elsewhere later is still reported.
 *
 * cdk-nag names such a finding `AwsSolutions-IAM5[Resource::<flattened ARN>]`, the ARN flattened
 * from its CloudFormation form (`Ref` → `<Name>`, `Fn::GetAtt` → `<Name.Attr>`, `Fn::Join`
 * joined); {@link flattenReference} renders it the same way.
 *
 * @param scope the construct holding the statement (the acknowledgement covers its subtree)
 * @param resourceArn the ARN with the wildcard, as given to the policy statement
 * @param reason why the wildcard is needed and how it is bounded
 */
export function acknowledgeWildcardResource(scope: IConstruct, resourceArn: string, reason: string): void {
  const flat = flattenReference(Stack.of(scope).resolve(resourceArn));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
}

/** A resolved CloudFormation value as one string, the way cdk-nag writes it into finding ids. */
function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  const value = node as Record<string, unknown>;
  if (value['Fn::Join']) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    return items.map(flattenReference).join(delimiter);
  }
  if (value['Fn::Sub']) return flattenReference(value['Fn::Sub']);
  if (value['Fn::GetAtt']) {
    const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (value['Fn::ImportValue']) return flattenReference(value['Fn::ImportValue']);
  if (value.Ref) return `<${flattenReference(value.Ref)}>`;
  return JSON.stringify(node);
}
