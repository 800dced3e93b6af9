import { describe, expect, it } from 'vitest';
import { ResourceCatalog } from '../../../local-runtime/runtime/template/catalog';
import type { CfnTemplate, StackArtifact } from '../../../local-runtime/runtime/template/types';

const template: CfnTemplate = {
  Resources: {
    Jobs: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } },
    Ordered: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } },
    Orders: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: { 'Fn::Sub': '${AWS::StackName}-orders' } } },
    Role: { Type: 'AWS::IAM::Role', Properties: { Path: '/service/' } },
    Worker: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Environment: { Variables: { QUEUE_URL: { Ref: 'Jobs' }, TABLE: { Ref: 'Orders' }, TABLE_ARN: { 'Fn::GetAtt': ['Orders', 'Arn'] } } },
      },
    },
    Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
    Vpc: { Type: 'AWS::EC2::VPC' },
  },
  Outputs: { JobsUrl: { Value: { Ref: 'Jobs' } } },
};

const stack: StackArtifact = { artifactId: 'Demo', stackName: 'Demo', displayName: 'Demo', template, assemblyDir: '/nowhere', assets: new Map() };
const catalog = new ResourceCatalog(stack, { stackName: 'Demo', region: 'us-east-1', accountId: '000000000000', endpoint: 'http://127.0.0.1:4566', seed: 'test' });

describe('ResourceCatalog', () => {
  it('generates CloudFormation-style names for unnamed resources', () => {
    expect(catalog.physicalName('Jobs')).toMatch(/^Demo-Jobs-[A-Z0-9]{12}$/);
  });

  it('ends a generated FIFO queue name with .fifo', () => {
    expect(catalog.physicalName('Ordered')).toMatch(/^Demo-Ordered-[A-Z0-9]{12}\.fifo$/);
  });

  it('keeps explicit names, intrinsics resolved', () => {
    expect(catalog.physicalName('Orders')).toBe('Demo-orders');
  });

  it('gives a queue Ref as its URL at the gateway, and its ARN, URL and name as attributes', () => {
    const name = catalog.physicalName('Jobs');
    expect(catalog.ref('Jobs')).toBe(`http://127.0.0.1:4566/000000000000/${name}`);
    expect([catalog.getAtt('Jobs', 'Arn'), catalog.getAtt('Jobs', 'QueueName')]).toStrictEqual([`arn:aws:sqs:us-east-1:000000000000:${name}`, name]);
  });

  it('resolves a function\'s environment to local names, URLs and ARNs', () => {
    expect((catalog.properties('Worker').Environment as { Variables: unknown }).Variables).toStrictEqual({
      QUEUE_URL: catalog.ref('Jobs'),
      TABLE: 'Demo-orders',
      TABLE_ARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/Demo-orders',
    });
  });

  it('builds a role ARN with its path', () => {
    expect(catalog.getAtt('Role', 'Arn')).toMatch(/^arn:aws:iam::000000000000:role\/service\/Demo-Role-[A-Z0-9]{12}$/);
  });

  it('gives a state machine Ref as its ARN', () => {
    expect(catalog.ref('Machine')).toMatch(/^arn:aws:states:us-east-1:000000000000:stateMachine:Demo-Machine-/);
  });

  it('lists the resource types it does not emulate', () => {
    expect(catalog.unsupportedTypes()).toStrictEqual(['AWS::EC2::VPC']);
  });

  it('resolves a reference to an unsupported resource type to a placeholder', () => {
    expect(catalog.resolver.resolve({ Ref: 'Vpc' }, 'Outputs.X')).toMatch(/^Demo-Vpc-[A-Z0-9]{12}$/);
  });

  it('resolves outputs', () => {
    expect(catalog.output('JobsUrl')).toBe(catalog.ref('Jobs'));
  });
});
