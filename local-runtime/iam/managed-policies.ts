/**
 * The AWS managed policies CDK-built Lambda roles commonly attach, with their documents, so
 * a role's `ManagedPolicyArns` can be evaluated offline. Unknown managed policies are
 * reported by {@link collectRolePolicies} rather than silently treated as empty.
 */
import type { PolicyDocument } from './policy-evaluator';

const LOGS = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];

const allow = (actions: string[]): PolicyDocument => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

/** Managed policy documents by policy name (the last segment of its ARN). */
export const MANAGED_POLICIES: Readonly<Record<string, PolicyDocument>> = {
  AWSLambdaBasicExecutionRole: allow(LOGS),
  AWSLambdaSQSQueueExecutionRole: allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...LOGS]),
  AWSLambdaDynamoDBExecutionRole: allow(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', ...LOGS]),
  AWSLambdaVPCAccessExecutionRole: allow([
    ...LOGS,
    'ec2:CreateNetworkInterface',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DescribeSubnets',
    'ec2:DeleteNetworkInterface',
    'ec2:AssignPrivateIpAddresses',
    'ec2:UnassignPrivateIpAddresses',
  ]),
  AWSXRayDaemonWriteAccess: allow(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries']),
  AWSLambdaRole: allow(['lambda:InvokeFunction']),
};

/** The document of an AWS managed policy ARN (any partition, any path), or undefined. */
export function managedPolicyDocument(arn: string): PolicyDocument | undefined {
  const m = /^arn:aws[\w-]*:iam::aws:policy\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
  return m && Object.hasOwn(MANAGED_POLICIES, m[1]) ? MANAGED_POLICIES[m[1]] : undefined;
}
