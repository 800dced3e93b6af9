import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, test } from 'vitest';
import { RoutingEnv, type FilterPattern } from '../../../functions/contract';
import { Filter, type FilterProps } from '../../../infra/routing/filter';
import { WorkQueue } from '../../../infra/work-queue';
import { freshStack } from '../../helpers/synth';
import { functionEnv, logicalId, STAGE_ENTRY } from '../../helpers/stage-chain';

const patterns: FilterPattern[] = [{ marketing: { optIn: [true] } }, { vip: [{ exists: true }] }];

function synth(props: Partial<FilterProps> = {}) {
  const { stack } = freshStack();
  const filter = new Filter(stack, 'OptedIn', { patterns, ...props });
  return { stack, filter, template: Template.fromStack(stack) };
}

describe('Filter', () => {
  test('puts every pattern, wrapped on the body, into the mapping\'s filter criteria', () => {
    synth().template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: { Filters: [{ Pattern: '{"body":{"marketing":{"optIn":[true]}}}' }, { Pattern: '{"body":{"vip":[{"exists":true}]}}' }] },
    });
  });

  test('forwards matching items to a created output queue', () => {
    const { template } = synth();
    const env = functionEnv(template, /^OptedInRouterWorker[0-9A-F]{8}$/);
    expect([JSON.parse(String(env[RoutingEnv.routerConfig])), env[`${RoutingEnv.outputUrlPrefix}0`]]).toStrictEqual([
      { kind: 'forward', outputs: 1 },
      { Ref: logicalId(template, 'AWS::SQS::Queue', /^OptedInOutput[0-9A-F]{8}$/) },
    ]);
  });

  test('uses a given output queue instead of creating one', () => {
    const { stack } = freshStack();
    const filter = new Filter(stack, 'F', { patterns, output: new Queue(stack, 'Kept') });
    expect(filter.output.node.id).toBe('Kept');
  });

  test('filters an existing WorkQueue\'s mapping with applyTo, adding no function', () => {
    const { stack } = freshStack();
    const wq = new WorkQueue(stack, 'Orders', { entry: STAGE_ENTRY });
    Filter.applyTo(wq, [{ type: ['order'] }]);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FilterCriteria: { Filters: [{ Pattern: '{"body":{"type":["order"]}}' }] } });
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toHaveLength(1);
  });

  test('fails if there is no pattern', () => {
    expect(() => synth({ patterns: [] })).toThrow(/patterns must hold between 1 and 5 patterns .* received 0/);
  });

  test('fails if a pattern is longer than 4,096 characters', () => {
    expect(() => synth({ patterns: [{ k: ['x'.repeat(4100)] }] })).toThrow(/patterns\[0\] must be at most 4096 characters as JSON .* received 4119/);
  });

  test('fails if a field has an empty rule list', () => {
    expect(() => synth({ patterns: [{ k: [] }] })).toThrow(/patterns\[0\]\.k must list at least one rule, received \[\]/);
  });

  test('fails if a pattern is empty', () => {
    expect(() => synth({ patterns: [{}] })).toThrow(/patterns\[0\] must name at least one field, received \{\}/);
  });

  test('fails if applyTo gets an unknown rule', () => {
    const { stack } = freshStack();
    const wq = new WorkQueue(stack, 'Orders', { entry: STAGE_ENTRY });
    expect(() => Filter.applyTo(wq, [{ k: [{ wildcard: '*' } as never] }])).toThrow(/Filter\.applyTo at Test\/Orders: .*patterns\[0\]\.k has a rule Lambda does not support/s);
  });
});
