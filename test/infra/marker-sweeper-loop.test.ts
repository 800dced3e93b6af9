import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MarkerSweeper } from '../../infra/marker-sweeper';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { LocalStateMachines } from '../../local-runtime/stepfunctions/local-state-machines';
import { type CfnTemplate, resolveIntrinsics } from '../local-runtime/helpers/resolve-template';
import { WORKER_ENTRY, freshStack } from '../helpers/synth';

/** The sub-minute sweep loop of a MarkerSweeper, as CDK synthesizes it, with its tokens resolved. */
function loopDefinition(interval: Duration): Record<string, unknown> {
  const { stack } = freshStack();
  new MarkerSweeper(stack, 'Rooms', { sweeperEntry: WORKER_ENTRY, sweepInterval: interval });
  const template = Template.fromStack(stack).toJSON() as CfnTemplate;
  const [machine] = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::StepFunctions::StateMachine');
  return JSON.parse(resolveIntrinsics(machine?.Properties?.DefinitionString, template) as string);
}

/** Runs one loop execution on a manual clock; returns when each sweeper invocation happened (ms after start). */
async function runLoop(interval: Duration, fail: (call: number) => boolean = () => false) {
  const clock = new ManualClock();
  const start = clock.now();
  const calls: { at: number; payload: unknown }[] = [];
  const machines = new LocalStateMachines({
    clock,
    invokeLambda: async (_arn, payload) => {
      calls.push({ at: clock.now() - start, payload });
      if (fail(calls.length)) throw new Error('sweep failed');
      return {};
    },
  });
  const arn = machines.register({ name: 'SweepLoop', definition: loopDefinition(interval) });
  const { executionArn } = machines.startExecution({ stateMachineArn: arn, input: '{"source":"pp-patterns.schedule"}' });
  for (let step = 0; step < 120 && machines.describeExecution(executionArn).status === 'RUNNING'; step++) {
    await new Promise((resolve) => setImmediate(resolve));
    await clock.advance(1_000);
  }
  return { calls, status: machines.describeExecution(executionArn).status };
}

describe('sub-minute sweep loop (Step Functions Wait loop, run locally)', () => {
  it('invokes the sweeper every interval within the minute', async () => {
    const { calls, status } = await runLoop(Duration.seconds(15));
    expect(status).toBe('SUCCEEDED');
    expect(calls.map((call) => call.at)).toStrictEqual([0, 15_000, 30_000, 45_000]);
    expect(calls[0]?.payload).toStrictEqual({ remaining: 4, source: 'pp-patterns.schedule' });
  });

  it('keeps looping after a failed sweep', async () => {
    const { calls, status } = await runLoop(Duration.seconds(20), (call) => call === 1);
    expect(status).toBe('SUCCEEDED');
    expect(calls.map((call) => call.at)).toStrictEqual([0, 20_000, 40_000]);
  });
});
