import { Stack } from 'aws-cdk-lib';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, test } from 'vitest';
import { BatchStageChain } from '../../../infra/batch-stage-chain';
import { Copier, CopierTransport } from '../../../infra/routing/copier';
import { Filter } from '../../../infra/routing/filter';
import { Merger } from '../../../infra/routing/merger';
import { Sharder } from '../../../infra/routing/sharder';
import { Splitter } from '../../../infra/routing/splitter';
import { freshStack } from '../../helpers/synth';
import { STAGE_ENTRY } from '../../helpers/stage-chain';

/** Every construct of this family with its defaults, composed as a pipeline would. */
function everyConstruct(stack: Stack): void {
  const sink = new TableV2(stack, 'Sink', { partitionKey: { name: 'id', type: AttributeType.STRING }, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } });
  const chain = new BatchStageChain(stack, 'Chain', { stages: [{ name: 'A', entry: STAGE_ENTRY }, { name: 'B', entry: STAGE_ENTRY }], sinkTable: sink });
  const copier = new Copier(stack, 'Copier', { outputCount: 2 });
  const queueCopier = new Copier(stack, 'QueueCopier', { transport: CopierTransport.QUEUE });
  const sharder = new Sharder(stack, 'Sharder', { key: 'customerId', shardCount: 2 });
  const splitter = new Splitter(stack, 'Splitter', { field: 'channel', routes: { email: chain.ingress, sms: sharder.ingress } });
  new Filter(stack, 'Filter', { patterns: [{ status: ['shipped'] }], output: splitter.ingress });
  new Merger(stack, 'Merger', { inputs: [...copier.outputs, ...queueCopier.outputs] });
}

describe('cdk-nag AwsSolutions on the stage chain and routing constructs', () => {
  test('reports no violation with their defaults', () => {
    const { stack } = freshStack();
    everyConstruct(stack);
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toStrictEqual([]);
  });
});
