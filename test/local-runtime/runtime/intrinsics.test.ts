import { describe, expect, it } from 'vitest';
import { IntrinsicError } from '../../../local-runtime/runtime/errors';
import { IntrinsicResolver, type ReferenceSource } from '../../../local-runtime/runtime/template/intrinsics';
import type { CfnTemplate } from '../../../local-runtime/runtime/template/types';

const refs: ReferenceSource = {
  ref: (id) => ({ Queue: 'http://gw/000000000000/q', Table: 'orders' })[id],
  getAtt: (id, attr) => (id === 'Queue' && attr === 'Arn' ? 'arn:aws:sqs:eu-west-1:000000000000:q' : undefined),
};

const template: CfnTemplate = {
  Resources: {},
  Parameters: { Stage: { Type: 'String', Default: 'dev' }, Required: { Type: 'String' } },
  Conditions: { IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] }, IsProd: { 'Fn::Not': [{ Condition: 'IsDev' }] } },
  Mappings: { Sizes: { dev: { Memory: 256 } } },
};

const resolver = new IntrinsicResolver(template, { stackName: 'Demo', region: 'eu-west-1', accountId: '000000000000' }, refs);
const resolve = (value: unknown) => resolver.resolve(value, 'test');

describe('IntrinsicResolver', () => {
  it('resolves pseudo parameters', () => {
    expect(resolve([{ Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, { Ref: 'AWS::Partition' }, { Ref: 'AWS::URLSuffix' }, { Ref: 'AWS::StackName' }])).toStrictEqual([
      'eu-west-1', '000000000000', 'aws', 'amazonaws.com', 'Demo',
    ]);
  });

  it('resolves Ref and GetAtt through the reference source', () => {
    expect(resolve({ url: { Ref: 'Queue' }, arn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, dotted: { 'Fn::GetAtt': 'Queue.Arn' } })).toStrictEqual({
      url: 'http://gw/000000000000/q', arn: 'arn:aws:sqs:eu-west-1:000000000000:q', dotted: 'arn:aws:sqs:eu-west-1:000000000000:q',
    });
  });

  it('joins resolved parts', () => {
    expect(resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Table' }]] })).toBe('arn:aws:s3:::orders');
  });

  it('substitutes references, attributes, local variables and escapes in Fn::Sub', () => {
    const sub = { 'Fn::Sub': ['${Queue.Arn}|${Table}|${AWS::Region}|${Local}|${!Literal}', { Local: { Ref: 'Table' } }] };
    expect(resolve(sub)).toBe('arn:aws:sqs:eu-west-1:000000000000:q|orders|eu-west-1|orders|${Literal}');
  });

  it('selects an element of a split string', () => {
    expect(resolve({ 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Queue', 'Arn'] }] }] })).toBe('q');
  });

  it('fails on Fn::Select out of range, naming the index', () => {
    expect(() => resolve({ 'Fn::Select': [3, ['a', 'b']] })).toThrow(/Fn::Select index 3 out of range/);
  });

  it('takes parameter defaults, conditions and mappings', () => {
    const value = { 'Fn::If': ['IsProd', 'big', { 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'Memory'] }] };
    expect(resolve(value)).toBe(256);
  });

  it('removes keys and list entries set to AWS::NoValue', () => {
    expect(resolve({ a: 1, b: { Ref: 'AWS::NoValue' }, c: [1, { Ref: 'AWS::NoValue' }, 2] })).toStrictEqual({ a: 1, c: [1, 2] });
  });

  it('fails on Fn::ImportValue with an IntrinsicError naming the path', () => {
    expect(() => resolver.resolve({ 'Fn::ImportValue': 'SharedQueueArn' }, 'Resources.Fn.Properties.Environment')).toThrow(IntrinsicError);
    expect(() => resolver.resolve({ 'Fn::ImportValue': 'SharedQueueArn' }, 'Resources.Fn.Properties.Environment')).toThrow(/Resources\.Fn\.Properties\.Environment: Fn::ImportValue "SharedQueueArn"/);
  });

  it('fails on a reference to an unknown resource', () => {
    expect(() => resolve({ Ref: 'Missing' })).toThrow(/Ref to unknown or unsupported resource "Missing"/);
  });

  it('fails on an unsupported attribute', () => {
    expect(() => resolve({ 'Fn::GetAtt': ['Queue', 'Nope'] })).toThrow(/Fn::GetAtt Queue\.Nope is not supported locally/);
  });

  it('fails on a parameter without default', () => {
    expect(() => resolve({ Ref: 'Required' })).toThrow(/parameter "Required" has no default/);
  });
});
