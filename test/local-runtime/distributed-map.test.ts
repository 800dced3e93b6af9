import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { definitionWarnings } from '../../local-runtime/stepfunctions/definition-warnings';
import { readItems } from '../../local-runtime/stepfunctions/item-reader';
import { LocalStateMachines } from '../../local-runtime/stepfunctions/local-state-machines';
import { MemoryS3 } from '../statemachines/fixtures/fan-out-harness';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:double';
const caller = { stateMachineArn: 'sm', executionArn: 'ex' };

function distributed(extra: Record<string, unknown>, processor: Record<string, unknown> = { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, End: true } } }) {
  return { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, ...processor }, End: true, ...extra } } };
}

function service(invoke: (payload: any) => Promise<unknown>, s3 = new MemoryS3()) {
  const machines = new LocalStateMachines({ clock: new ManualClock(), s3, invokeLambda: async (_arn, payload) => invoke(payload) });
  return { machines, s3, run: async (definition: object, input: unknown) => {
    const arn = machines.register({ name: 'D', definition });
    const { executionArn } = machines.startExecution({ stateMachineArn: arn, name: 'e1', input: JSON.stringify(input) });
    return { ...(await machines.waitForExecution(executionArn)), executionArn };
  } };
}

describe('ItemReader', () => {
  it('reads CSV rows keyed by the first row, quotes and escaped quotes kept, up to MaxItems', async () => {
    const s3 = new MemoryS3();
    await s3.putObject('b', 'k.csv', 'id,name\n1,"Doe, Jane"\n2,"say ""hi"""\n3,x\n');
    const reader = { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', MaxItems: 2 }, Parameters: { Bucket: 'b', 'Key.$': '$.key' } };
    expect(await readItems(reader, { key: 'k.csv' }, {}, s3, caller)).toStrictEqual([{ id: '1', name: 'Doe, Jane' }, { id: '2', name: 'say "hi"' }]);
  });

  it('fails with States.ItemReaderFailed for a missing object or a JSON object that is not an array', async () => {
    const s3 = new MemoryS3();
    await s3.putObject('b', 'o.json', '{"a":1}');
    const get = (key: string) => readItems({ Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: key } }, {}, {}, s3, caller);
    await expect(get('nope')).rejects.toMatchObject({ name: 'States.ItemReaderFailed', message: 'NoSuchKey: The specified key does not exist.' });
    await expect(get('o.json')).rejects.toMatchObject({ name: 'States.ItemReaderFailed', message: 's3://b/o.json: the object is not a JSON array' });
  });
});

describe('Distributed Map on the local service', () => {
  it('runs each batch as a child execution and writes the ResultWriter files and manifest', async () => {
    const { run, s3, machines } = service(async (p) => p.Items.map((x: number) => x * 2));
    const out = await run(distributed({ ItemBatcher: { MaxItemsPerBatch: 2 }, ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out', Prefix: 'res' } } }), [1, 2, 3]);
    expect(out.status).toBe('SUCCEEDED');
    const output = JSON.parse(out.output!);
    const runId = output.MapRunArn.split(':').pop();
    expect(output).toStrictEqual({ MapRunArn: expect.stringMatching(/^arn:aws:states:us-east-1:000000000000:mapRun:D\/M:/), ResultWriterDetails: { Bucket: 'out', Key: `res/${runId}/manifest.json` } });
    const succeeded = JSON.parse(s3.objects.get(`out/res/${runId}/SUCCEEDED_0.json`)!);
    expect(succeeded.map((r: any) => [JSON.parse(r.Input), JSON.parse(r.Output), r.Status])).toStrictEqual([[{ Items: [1, 2] }, [2, 4], 'SUCCEEDED'], [{ Items: [3] }, [6], 'SUCCEEDED']]);
    expect(JSON.parse(s3.objects.get(`out/res/${runId}/manifest.json`)!).ResultFiles.SUCCEEDED).toHaveLength(1);
    expect(machines.listExecutions({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:D/M' }).executions).toHaveLength(2);
  });

  it('outputs the children\'s results in item order, a tolerated failed child as its error', async () => {
    const { run } = service(async (p) => (p === 2 ? Promise.reject(Object.assign(new Error('two'), { name: 'Bad' })) : p * 10));
    const out = await run(distributed({ ToleratedFailureCount: 1 }), [1, 2, 3]);
    expect(JSON.parse(out.output!)).toStrictEqual([10, { Error: 'Bad', Cause: expect.stringContaining('"errorMessage":"two"') }, 30]);
  });

  it('counts state transitions per execution: states entered and retries, children apart', async () => {
    let calls = 0;
    const { run, machines } = service(async (p) => (++calls === 1 ? Promise.reject(new Error('once')) : p));
    const processor = { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1 }], Next: 'P' }, P: { Type: 'Pass', End: true } } };
    const out = await run(distributed({ MaxConcurrency: 1 }, processor), [1, 2]);
    expect(out.status).toBe('SUCCEEDED');
    // Parent: M. Children: T, P each, plus one retry in the first.
    expect({ parent: machines.transitions.of(out.executionArn), all: machines.transitions.total() }).toStrictEqual({ parent: 1, all: 1 + 2 + 2 + 1 });
  });
});

it('warns at boot about Map features the local runtime does not evaluate', () => {
  const warnings = definitionWarnings(distributed({ MaxConcurrencyPath: '$.n', ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'PARQUET' }, Parameters: {} }, ItemSelector: { 'x.$': 'States.Format(\'{}\', $$.Map.Item.Value)' } }));
  expect(warnings).toStrictEqual([
    'Map "M" uses MaxConcurrencyPath, which is not evaluated locally',
    'Map "M" reads PARQUET items, which are not parsed locally (JSON, JSONL and CSV are)',
    'Map "M" uses an intrinsic function in ItemSelector, which the local Distributed Map does not evaluate',
    'Map "M" runs Express children locally without their 5-minute limit or Express billing; state transitions are counted for them as for Standard',
  ]);
});
