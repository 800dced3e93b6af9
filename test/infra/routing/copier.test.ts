import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, test } from 'vitest';
import { RoutingEnv } from '../../../functions/contract';
import { Copier, CopierTransport, type CopierProps } from '../../../infra/routing/copier';
import { freshStack } from '../../helpers/synth';
import { functionEnv, policyStatements } from '../../helpers/stage-chain';

function synth(props: CopierProps = {}, grant = false) {
  const { stack } = freshStack();
  const copier = new Copier(stack, 'Copy', props);
  if (grant) copier.grantSend(new Role(stack, 'Api', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }));
  return { stack, copier, template: Template.fromStack(stack) };
}

describe('Copier over a topic', () => {
  test('subscribes every output to the topic with raw message delivery', () => {
    const { template } = synth({ outputCount: 3 });
    expect(Object.keys(template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'sqs', RawMessageDelivery: true } }))).toHaveLength(3);
  });

  test('creates 2 outputs by default, each with a dead-letter queue', () => {
    synth().template.resourceCountIs('AWS::SQS::Queue', 4);
  });

  test('encrypts the topic with the AWS-managed SNS key', () => {
    synth().template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:123456789012:alias/aws/sns']] } });
  });

  test('denies non-TLS publishing on the topic', () => {
    synth().template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: [{ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Action: 'sns:Publish' }] },
    });
  });

  test('creates no function', () => {
    synth().template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('grants sns:Publish on the topic', () => {
    const { template } = synth({}, true);
    expect(policyStatements(template).map((s) => s.Action)).toContain('sns:Publish');
  });

  test('fails if a router prop is given with the topic transport', () => {
    expect(() => synth({ batchSize: 10 })).toThrow(/batchSize is only used with transport CopierTransport\.QUEUE/);
  });
});

describe('Copier over a queue', () => {
  test('configures a router that copies to every output', () => {
    const { template } = synth({ transport: CopierTransport.QUEUE, outputCount: 3 });
    expect(JSON.parse(String(functionEnv(template, /^CopyRouterWorker[0-9A-F]{8}$/)[RoutingEnv.routerConfig]))).toStrictEqual({ kind: 'copy', outputs: 3 });
  });

  test('creates no topic', () => {
    synth({ transport: CopierTransport.QUEUE }).template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  test('exposes the input queue and grants sending to it', () => {
    const { template, copier } = synth({ transport: CopierTransport.QUEUE }, true);
    const statements = policyStatements(template).filter((s) => JSON.stringify(s.Resource).includes('CopyRouterQueue'));
    expect([copier.ingress !== undefined, statements.some((s) => JSON.stringify(s.Action).includes('sqs:SendMessage'))]).toStrictEqual([true, true]);
  });
});

describe('Copier validation', () => {
  test('fails if both outputs and outputCount are given', () => {
    const { stack } = freshStack();
    expect(() => new Copier(stack, 'C', { outputs: [new Queue(stack, 'A')], outputCount: 2 })).toThrow(/outputs and outputCount are mutually exclusive/);
  });

  test('fails if outputCount is above 20', () => {
    expect(() => synth({ outputCount: 21 })).toThrow(/outputCount must be an integer between 1 and 20, received 21/);
  });
});
