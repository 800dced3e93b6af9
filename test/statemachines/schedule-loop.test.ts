import { describe, expect, it } from 'vitest';
import { SCHEDULED_INPUT } from '../../functions/contract';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { LocalStateMachines } from '../../local-runtime/stepfunctions/local-state-machines';
import { runsPerPeriod, scheduleLoopDefinition } from '../../statemachines/schedule-loop';
import { validateAsl } from './fixtures/asl-validator';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:sweeper';
const MINUTE = 60;

/** The loop as the infra renders it for a one-minute rule, with a fake function ARN. */
function definitionFor(intervalSeconds: number) {
  return scheduleLoopDefinition({ intervalSeconds, runs: runsPerPeriod(MINUTE, intervalSeconds), input: SCHEDULED_INPUT }, { functionArn: FUNCTION_ARN });
}

/** Runs one execution on a manual clock; records each invocation's ARN, payload and time (ms after start). */
async function runLoop(intervalSeconds: number, fail: (call: number) => boolean = () => false) {
  const clock = new ManualClock();
  const start = clock.now();
  const calls: { at: number; arn: string; payload: unknown }[] = [];
  const machines = new LocalStateMachines({
    clock,
    invokeLambda: async (arn, payload) => {
      calls.push({ at: clock.now() - start, arn, payload });
      if (fail(calls.length)) throw new Error('sweep failed');
      return { ignored: true };
    },
  });
  const arn = machines.register({ name: 'ScheduleLoop', definition: definitionFor(intervalSeconds) });
  const { executionArn } = machines.startExecution({ stateMachineArn: arn, input: JSON.stringify(SCHEDULED_INPUT) });
  for (let step = 0; step < 120 && machines.describeExecution(executionArn).status === 'RUNNING'; step++) {
    await new Promise((resolve) => setImmediate(resolve));
    await clock.advance(1_000);
  }
  const record = machines.describeExecution(executionArn);
  return { calls, status: record.status, output: record.output };
}

describe('scheduleLoopDefinition', () => {
  it('is valid ASL', () => {
    const result = validateAsl(definitionFor(15));
    expect({ isValid: result.isValid, errors: result.errorsText() }).toStrictEqual({ isValid: true, errors: '' });
  });

  it('invokes the function every 15 s, four times in the minute, with the scheduled input', async () => {
    const { calls, status } = await runLoop(15);
    expect(status).toBe('SUCCEEDED');
    expect(calls).toStrictEqual([0, 15_000, 30_000, 45_000].map((at, i) => ({
      at, arn: FUNCTION_ARN, payload: { remaining: 4 - i, ...SCHEDULED_INPUT },
    })));
  });

  it('discards the function result, ending with the counter and the scheduled input', async () => {
    const { output } = await runLoop(15);
    expect(JSON.parse(output ?? 'null')).toStrictEqual({ remaining: 0, ...SCHEDULED_INPUT });
  });

  it('catches a failed invocation and keeps looping', async () => {
    const { calls, status } = await runLoop(15, (call) => call === 2);
    expect(status).toBe('SUCCEEDED');
    expect(calls.map((call) => call.at)).toStrictEqual([0, 15_000, 30_000, 45_000]);
    expect(calls[2]?.payload).toStrictEqual({ remaining: 2, ...SCHEDULED_INPUT });
  });

  it('invokes once for a 59 s interval', async () => {
    const { calls, status } = await runLoop(59);
    expect(status).toBe('SUCCEEDED');
    expect(calls).toStrictEqual([{ at: 0, arn: FUNCTION_ARN, payload: { remaining: 1, ...SCHEDULED_INPUT } }]);
  });

  it('fails if the interval, the runs or the input are invalid, naming each', () => {
    expect(() => scheduleLoopDefinition({ intervalSeconds: 0.5, runs: 0, input: { remaining: 9 } }, { functionArn: FUNCTION_ARN }))
      .toThrow(/intervalSeconds must be an integer of at least 1, received 0\.5; runs must be an integer of at least 1, received 0; input must not have a "remaining" field/);
  });
});

describe('runsPerPeriod', () => {
  it('fits ⌊period ÷ interval⌋ runs, at least one', () => {
    expect([1, 15, 20, 29, 30, 59, 90].map((interval) => runsPerPeriod(MINUTE, interval))).toStrictEqual([60, 4, 3, 2, 2, 1, 1]);
  });
});
