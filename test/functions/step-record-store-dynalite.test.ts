import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoStepRecordStore, PART_BYTES } from '../../functions/lib/aws/step-record-store';
import { coordinate } from '../../functions/lib/parallel-workflow/coordinator';
import { runWorkflowStep } from '../../functions/lib/parallel-workflow/step';
import { createStepRecordTable, type DynaliteServer, startDynalite } from '../helpers/dynalite';

describe('DynamoDB step records (dynalite)', () => {
  let dynalite: DynaliteServer;
  let client: DynamoDBDocumentClient;
  const store = () => dynamoStepRecordStore({ tableName: 'records', ttlSeconds: 3600, client, now: () => 1_000_000 });

  beforeAll(async () => {
    dynalite = await startDynalite();
    client = DynamoDBDocumentClient.from(new DynamoDBClient(dynalite.clientConfig));
    await createStepRecordTable(client, 'records');
  });
  afterAll(() => dynalite.close());

  it('keeps records of any size: a 1 MB result comes back whole from get and list', async () => {
    const s = store();
    const big = 'é'.repeat(500_000);
    await s.put('run-1', { step: 'big', status: 'done', result: { big } });
    await s.put('run-1', { step: 'small', status: 'failed', error: 'E', cause: 'c' });
    expect(Buffer.byteLength(big)).toBeGreaterThan(3 * PART_BYTES);
    expect((await s.get('run-1', ['big', 'small', 'absent'])).get('big')).toStrictEqual({ step: 'big', status: 'done', result: { big } });
    expect((await s.list('run-1')).map((r) => r.step).sort()).toStrictEqual(['big', 'small']);
    expect((await s.list('run-1')).find((r) => r.step === 'big')).toStrictEqual({ step: 'big', status: 'done', result: { big } });
    expect(await s.list('run-2')).toStrictEqual([]);
  });

  it('runs a step whose large result is stored by reference and read back by its dependant', async () => {
    const s = store();
    const run = 'arn:aws:states:us-east-1:0:execution:W:r';
    const ref = await runWorkflowStep(s, async () => ({ rows: Array.from({ length: 10_000 }, (_, i) => i) }), { step: 'rows', run, input: {}, results: {} });
    expect(ref).toStrictEqual({ $ppStepResult: 'rows' });
    await coordinate(s, { action: 'record', run, step: 'rows', result: ref });
    const gate = await coordinate(s, { action: 'gate', run, step: 'sum', dependsOn: ['rows'] }) as { status: string; results: Record<string, unknown> };
    expect(gate.status).toBe('ready');
    const total = await runWorkflowStep(s, async (_i, { results }) => (results.rows as { rows: number[] }).rows.reduce((a, b) => a + b, 0), { step: 'sum', run, input: {}, results: gate.results });
    expect(total).toBe((9_999 * 10_000) / 2);
  });
});
