/**
 * Collects the identity-based policies of a role defined in the template, resolved: its
 * inline `Policies`, every `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` attached to it, and
 * the AWS managed policies it names (the few Lambda ones the runtime knows by heart).
 */
import type { ResourceCatalog } from '../template/catalog';

/** An IAM policy document (resolved). */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: unknown;
}

/** A role's policies, as far as the template tells. */
export interface RolePolicies {
  /** The role's logical ID. */
  readonly logicalId: string;
  readonly roleName: string;
  readonly documents: PolicyDocument[];
  /** Managed policy ARNs the runtime does not know (treated as granting nothing). */
  readonly unknownManagedPolicies: string[];
}

const LOGS = { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' };

/** AWS managed policies commonly attached to Lambda roles, by the part of the ARN after `policy/`. */
const AWS_MANAGED: Readonly<Record<string, PolicyDocument>> = {
  'service-role/AWSLambdaBasicExecutionRole': { Statement: [LOGS] },
  'service-role/AWSLambdaSQSQueueExecutionRole': {
    Statement: [LOGS, { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: '*' }],
  },
  'service-role/AWSLambdaDynamoDBExecutionRole': {
    Statement: [LOGS, { Effect: 'Allow', Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'], Resource: '*' }],
  },
  'AWSXRayDaemonWriteAccess': { Statement: [{ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'], Resource: '*' }] },
};

function attachedTo(roles: unknown, roleName: string): boolean {
  return Array.isArray(roles) && roles.includes(roleName);
}

function managedDocuments(arns: unknown, catalog: ResourceCatalog, unknown: string[]): PolicyDocument[] {
  const out: PolicyDocument[] = [];
  for (const arn of Array.isArray(arns) ? arns.map(String) : []) {
    const known = AWS_MANAGED[arn.replace(/^arn:aws[\w-]*:iam::aws:policy\//, '')];
    const local = catalog.ofType('AWS::IAM::ManagedPolicy').find(([id]) => catalog.ref(id) === arn);
    if (known) out.push(known);
    else if (local) out.push(catalog.property(local[0], 'PolicyDocument') as PolicyDocument);
    else unknown.push(arn);
  }
  return out;
}

/**
 * The policies of the role whose ARN is `roleArn`.
 *
 * @returns undefined when no role of the template has that ARN (an imported role)
 */
export function rolePolicies(catalog: ResourceCatalog, roleArn: string): RolePolicies | undefined {
  const role = catalog.ofType('AWS::IAM::Role').find(([id]) => catalog.getAtt(id, 'Arn') === roleArn);
  if (!role) return undefined;
  const [logicalId] = role;
  const roleName = catalog.physicalName(logicalId);
  const unknownManagedPolicies: string[] = [];
  const inline = ((catalog.property(logicalId, 'Policies') ?? []) as { PolicyDocument: PolicyDocument }[]).map((p) => p.PolicyDocument);
  const documents = [...inline, ...managedDocuments(catalog.property(logicalId, 'ManagedPolicyArns'), catalog, unknownManagedPolicies)];
  for (const [id] of catalog.ofType('AWS::IAM::Policy')) {
    if (attachedTo(catalog.property(id, 'Roles'), roleName)) documents.push(catalog.property(id, 'PolicyDocument') as PolicyDocument);
  }
  for (const [id] of catalog.ofType('AWS::IAM::ManagedPolicy')) {
    if (attachedTo(catalog.property(id, 'Roles'), roleName)) documents.push(catalog.property(id, 'PolicyDocument') as PolicyDocument);
  }
  return { logicalId, roleName, documents, unknownManagedPolicies };
}
