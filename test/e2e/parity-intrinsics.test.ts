/**
 * Parity item 5: the intrinsic functions, run by the local Step Functions service inside a
 * synthesized state machine, against the outputs AWS documents for the same inputs
 * (docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html), and the escaping
 * cases: `States.JsonToString` of a value with nested quotes stays valid JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import type { ExecutionRecord } from '../../local-runtime/stepfunctions';
import { intrinsicsStack, synthParity, type ParityAssembly } from './parity-fixtures/stacks';

const input = {
  name: 'Arnav',
  escapedJsonString: '{"foo": "bar"}',
  data: { foo: 'bar' },
  quoted: { text: 'say "hi"', path: 'C:\\temp', nested: { q: '"' } },
  inputString: '1,2,3,4,5',
  splitter: ',',
  someJson: { random: 'abcdefg' },
  inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  lookingFor: 5,
  index: 5,
  duplicates: [1, 2, 3, 3, 3, 3, 3, 3, 4],
  json1: { a: { a1: 1, a2: 2 }, b: 2 },
  json2: { a: { a3: 1, a4: 2 }, c: 3 },
  value1: 111,
  step: -1,
};

let assembly: ParityAssembly;
let runtime: LocalRuntime;
let record: ExecutionRecord;
let out: { strings: Record<string, unknown>; arrays: Record<string, unknown> };
beforeAll(async () => {
  assembly = synthParity((app) => intrinsicsStack(app));
  runtime = await LocalRuntime.start({ assemblyDir: assembly.outdir });
  const { executionArn } = runtime.stateMachines.startExecution({ stateMachineArn: runtime.output('MachineArn'), input: JSON.stringify(input) });
  record = await runtime.stateMachines.waitForExecution(executionArn);
  out = JSON.parse(record.output ?? '{}');
});
afterAll(async () => {
  await runtime?.stop();
  assembly?.cleanup();
});

describe('intrinsic functions', () => {
  it('run to the end', () => {
    expect([record.status, record.error, record.cause]).toStrictEqual(['SUCCEEDED', undefined, undefined]);
  });

  it('States.JsonToString keeps nested quotes and backslashes valid JSON', () => {
    expect(out.strings.stringified).toBe('{"foo":"bar"}');
    expect(out.strings.quoted).toBe(JSON.stringify(input.quoted));
    expect(out.strings.roundTrip).toStrictEqual(input.quoted);
  });

  it('string functions give the documented outputs', () => {
    expect(out.strings).toStrictEqual(expect.objectContaining({
      format: 'Hello, my name is Arnav.',
      toJson: { foo: 'bar' },
      split: ['1', '2', '3', '4', '5'],
      splitMany: ['This', 'is', 'a', 'test', 'string'],
      b64: 'RGF0YSB0byBlbmNvZGU=',
      unb64: 'Data to encode',
      hash: 'aaff4a450a104cd177d28d18d74485e8cae074b7',
    }));
    expect(out.strings.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("States.Format unescapes \\' \\{ \\} in its template, fills only real placeholders, keeps backslashes in values", () => {
    expect(out.strings.escaped).toBe("Arnav said '{not a placeholder}' C:\\temp");
  });

  it('array, JSON and math functions give the documented outputs', () => {
    expect(out.arrays).toStrictEqual({
      array: ['Foo', 2020, { random: 'abcdefg' }, null],
      partition: [[1, 2, 3, 4], [5, 6, 7, 8], [9]],
      contains: true,
      range: [1, 3, 5, 7, 9],
      item: 6,
      length: 9,
      unique: [1, 2, 3, 4],
      merged: { a: { a3: 1, a4: 2 }, b: 2, c: 3 },
      sum: 110,
    });
  });
});
