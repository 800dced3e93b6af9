import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, test } from 'vitest';
import { RoutingEnv, type RouterConfig } from '../../../functions/contract';
import { Splitter, type SplitterProps } from '../../../infra/routing/splitter';
import { freshStack } from '../../helpers/synth';
import { functionEnv, logicalId, policyStatements } from '../../helpers/stage-chain';

function synth(build: (stack: Stack) => Partial<SplitterProps> = () => ({})) {
  const { stack } = freshStack();
  const email = new Queue(stack, 'Email');
  const sms = new Queue(stack, 'Sms');
  const splitter = new Splitter(stack, 'Split', { field: 'channel', routes: { email, sms, push: sms }, ...build(stack) });
  const template = Template.fromStack(stack);
  return { stack, splitter, template, email, sms };
}

const routerEnv = (template: Template) => functionEnv(template, /^SplitRouterWorker[0-9A-F]{8}$/);
const config = (template: Template) => JSON.parse(String(routerEnv(template)[RoutingEnv.routerConfig])) as RouterConfig;

describe('Splitter', () => {
  test('configures the router to split by the field, values sharing an output', () => {
    expect(config(synth().template)).toStrictEqual({ kind: 'split', outputs: 3, field: 'channel', routes: { email: 0, sms: 1, push: 1 }, defaultOutput: 2 });
  });

  test('gives the router each output\'s URL by index', () => {
    const { template } = synth();
    expect(routerEnv(template)[`${RoutingEnv.outputUrlPrefix}1`]).toStrictEqual({ Ref: logicalId(template, 'AWS::SQS::Queue', /^Sms/) });
  });

  test('creates an Unmatched default output with its own dead-letter queue', () => {
    const { template } = synth();
    expect([logicalId(template, 'AWS::SQS::Queue', /^SplitUnmatched[0-9A-F]{8}$/), logicalId(template, 'AWS::SQS::Queue', /^SplitUnmatchedDlq/)]).toHaveLength(2);
  });

  test('uses a given default output instead of creating one', () => {
    const { template, splitter } = synth((stack) => ({ defaultOutput: new Queue(stack, 'Other') }));
    expect([splitter.defaultOutput.node.id, Object.keys(template.findResources('AWS::SQS::Queue')).some((id) => id.startsWith('SplitUnmatched'))]).toStrictEqual(['Other', false]);
  });

  test('lets the router send to every output', () => {
    const { template } = synth();
    const arns = policyStatements(template)
      .filter((s) => JSON.stringify(s.Action).includes('sqs:SendMessage'))
      .map((s) => JSON.stringify(s.Resource));
    for (const id of [/^Email/, /^Sms/, /^SplitUnmatched[0-9A-F]{8}$/]) {
      expect(arns).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId(template, 'AWS::SQS::Queue', id), 'Arn'] }));
    }
  });

  test('answers the output of a value, and the default for an unknown one', () => {
    const { splitter, sms } = synth();
    expect([splitter.outputFor('push'), splitter.outputFor('fax')]).toStrictEqual([sms, splitter.defaultOutput]);
  });

  test('puts an input filter on the router\'s mapping', () => {
    synth(() => ({ inputFilter: [{ status: ['shipped'] }] })).template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: { Filters: [{ Pattern: '{"body":{"status":["shipped"]}}' }] },
    });
  });

  test('reads from a brought input queue', () => {
    const { splitter } = synth((stack) => ({ ingress: new Queue(stack, 'In') }));
    expect(splitter.ingress.node.id).toBe('In');
  });

  test('fails if the field is not a dot path', () => {
    expect(() => synth(() => ({ field: 'a..b' }))).toThrow(/field must be a dot path .* received "a\.\.b"/);
  });

  test('fails if there is no route', () => {
    expect(() => synth(() => ({ routes: {} }))).toThrow(/routes must map at least one field value to a queue, received none/);
  });

  test('fails if the routes lead to more than 20 queues', () => {
    expect(() => synth((stack) => ({ routes: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`v${i}`, new Queue(stack, `Q${i}`)])) }))).toThrow(
      /between 1 and 20 distinct queues .* received 21/,
    );
  });

  test('fails if ingressDeadLetterQueue is given without ingress', () => {
    expect(() => synth((stack) => ({ ingressDeadLetterQueue: new Queue(stack, 'D') }))).toThrow(/ingressDeadLetterQueue is only allowed together with ingress/);
  });

  test('fails if an input filter has more than 5 patterns', () => {
    expect(() => synth(() => ({ inputFilter: Array.from({ length: 6 }, () => ({ a: ['x'] })) }))).toThrow(/inputFilter must hold between 1 and 5 patterns .* received 6/);
  });
});
