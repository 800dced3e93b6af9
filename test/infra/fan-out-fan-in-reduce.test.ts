/** FanOutFanIn wired to a Reduce (`reduce`), and its finalizer's access to the results. */
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, test } from 'vitest';
import { FanOutEnv } from '../../functions/contract';
import { FanOutFanIn } from '../../infra/fan-out-fan-in';
import { Reduce } from '../../infra/reduce';
import { functionEnv, functionStatements } from '../helpers/stage-chain';
import { freshStack, inlineFunction, WORKER_ENTRY } from '../helpers/synth';

const sends = (statements: ReturnType<typeof functionStatements>, queueId: string) =>
  statements.some((s) => JSON.stringify(s.Action).includes('sqs:SendMessage') && JSON.stringify(s.Resource).includes(queueId));

describe('FanOutFanIn with a Reduce', () => {
  test('the worker and the join get the Reduce ingress and may send to it; nothing else does', () => {
    const { stack } = freshStack();
    const totals = new Reduce(stack, 'Totals', { merge: 'sum' });
    new FanOutFanIn(stack, 'Docs', { workerEntry: WORKER_ENTRY, finalizerEntry: WORKER_ENTRY, reduce: totals });
    const template = Template.fromStack(stack);
    const ingressId = stack.resolve(totals.ingress.queueArn)['Fn::GetAtt'][0] as string;
    for (const fn of [/^DocsWorker/, /^DocsJoin/]) {
      expect(functionEnv(template, fn)[FanOutEnv.reduceQueueUrl]).toStrictEqual({ Ref: ingressId });
      expect(sends(functionStatements(template, fn), ingressId)).toBe(true);
    }
    expect(functionEnv(template, /^DocsFinalizer/)[FanOutEnv.reduceQueueUrl]).toBeUndefined();
    expect(sends(functionStatements(template, /^DocsFinalizer/), ingressId)).toBe(false);
  });

  test('the finalizer gets the results table to read which items succeeded, and its own environment', () => {
    const { stack } = freshStack();
    const fan = new FanOutFanIn(stack, 'Docs', { workerEntry: WORKER_ENTRY, finalizerEntry: WORKER_ENTRY, finalizerEnvironment: { ORIGINALS: 'b' } });
    const template = Template.fromStack(stack);
    const tableId = stack.resolve(fan.table.tableName).Ref as string;
    expect(functionEnv(template, /^DocsFinalizer/)).toMatchObject({ ORIGINALS: 'b', [FanOutEnv.resultsTableName]: { Ref: tableId } });
    const reads = functionStatements(template, /^DocsFinalizer/).filter((s) => JSON.stringify(s.Resource).includes(tableId)).flatMap((s) => [s.Action].flat());
    expect(reads).toContain('dynamodb:Query');
    expect(reads.some((a) => /Put|Delete|Update|Write/.test(String(a)))).toBe(false);
  });

  test('refuses a Reduce with a brought worker or join, and a FIFO Reduce, naming the path', () => {
    const { stack } = freshStack();
    const totals = new Reduce(stack, 'Totals', { merge: 'sum' });
    expect(() => new FanOutFanIn(stack, 'Docs', { workerHandler: inlineFunction(stack), reduce: totals }))
      .toThrow(/FanOutFanIn at .*Docs[\s\S]*reduce[\s\S]*received workerHandler/);
    const fifo = new Reduce(stack, 'Fifo', { merge: 'sum', ingress: new Queue(stack, 'F', { fifo: true }) });
    expect(() => new FanOutFanIn(stack, 'Docs2', { workerEntry: WORKER_ENTRY, reduce: fifo })).toThrow(/reduce[\s\S]*FIFO/);
  });
});
