/**
 * GetExecutionHistory over the real SFN client for the shapes a linear test does not reach:
 * a retried Task, an inline Map whose iterations run the same Task at once, a Wait parked on
 * the manual clock, a caught failure, and a stopped execution.
 */
import { GetExecutionHistoryCommand, type HistoryEvent, ListExecutionsCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { LocalStateMachines } from '../../local-runtime/stepfunctions/local-state-machines';
import { useWireClient } from './helpers/wire-server';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:flaky';
const T0 = Date.UTC(2025, 0, 1);

describe('execution history', () => {
  let clock: ManualClock;
  let machines: LocalStateMachines;
  let calls: number;
  let lastMachine: string;
  const wire = useWireClient((req) => machines.handle(req), (config) => new SFNClient(config));

  beforeEach(() => {
    clock = new ManualClock({ start: T0 });
    calls = 0;
    machines = new LocalStateMachines({
      clock,
      invokeLambda: async (_arn, payload) => {
        calls++;
        const p = payload as { fail?: boolean; failOnce?: boolean; n?: number };
        if (p.fail || (p.failOnce && calls === 1)) throw Object.assign(new Error('boom'), { name: 'Flaky' });
        return { n: (p.n ?? 0) + 1 };
      },
    });
  });

  async function history(executionArn: string): Promise<HistoryEvent[]> {
    return (await wire.client.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
  }

  async function runToEnd(definition: object, input: object): Promise<HistoryEvent[]> {
    const stateMachineArn = machines.register({ name: `m${Math.random().toString(36).slice(2, 8)}`, definition });
    lastMachine = stateMachineArn;
    const { executionArn } = machines.startExecution({ stateMachineArn, input: JSON.stringify(input) });
    await machines.waitForExecution(executionArn);
    return history(executionArn);
  }

  it('schedules the function again within the same state on a retry', async () => {
    const events = await runToEnd({ StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, Retry: [{ ErrorEquals: ['Flaky'], MaxAttempts: 2 }], End: true } } }, { failOnce: true });
    expect(events.map((e) => e.type)).toStrictEqual([
      'ExecutionStarted', 'TaskStateEntered',
      'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed',
      'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded',
      'TaskStateExited', 'ExecutionSucceeded',
    ]);
    // The cause is Lambda's error payload, as Step Functions reports it.
    expect(events[4]!.lambdaFunctionFailedEventDetails!.error).toBe('Flaky');
    expect(JSON.parse(events[4]!.lambdaFunctionFailedEventDetails!.cause!)).toMatchObject({ errorType: 'Flaky', errorMessage: 'boom' });
    expect(events[2]!.lambdaFunctionScheduledEventDetails).toMatchObject({ resource: FN, input: '{"failOnce":true}' });
    const executionArn = (await wire.client.send(new ListExecutionsCommand({ stateMachineArn: lastMachine }))).executions![0]!.executionArn;
    const bare = (await wire.client.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }))).events!;
    expect(bare[2]!.lambdaFunctionScheduledEventDetails).toStrictEqual({ resource: FN });
  });

  it('records every iteration of an inline Map, each Task inside its state', async () => {
    const definition = {
      StartAt: 'Each',
      States: { Each: { Type: 'Map', ItemsPath: '$.items', Iterator: { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, End: true } } }, End: true } },
    };
    const events = await runToEnd(definition, { items: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(types.filter((t) => t === 'MapIterationStarted')).toHaveLength(3);
    expect(types.filter((t) => t === 'MapIterationSucceeded')).toHaveLength(3);
    expect(types.filter((t) => t === 'LambdaFunctionSucceeded')).toHaveLength(3);
    // Each Task's Lambda events come after some entry of its state and before that state's exit.
    const enteredT = events.filter((e) => e.type === 'TaskStateEntered').map((e) => e.id!);
    for (const scheduled of events.filter((e) => e.type === 'LambdaFunctionScheduled')) {
      expect(enteredT.filter((id) => id < scheduled.id!).length).toBeGreaterThan(0);
    }
  });

  it('shows a parked Wait as entered, and its exit once the clock passes it', async () => {
    const stateMachineArn = machines.register({ name: 'waits', definition: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, Next: 'T' }, T: { Type: 'Task', Resource: FN, End: true } } } });
    const { executionArn } = machines.startExecution({ stateMachineArn, input: '{"n":1}' });
    for (let i = 0; i < 1000 && clock.pendingTimers() === 0; i++) await new Promise((r) => setImmediate(r));
    expect((await history(executionArn)).map((e) => e.type)).toStrictEqual(['ExecutionStarted', 'WaitStateEntered']);
    await clock.advance(60_000);
    await machines.waitForExecution(executionArn);
    const events = await history(executionArn);
    expect(events.map((e) => e.type).slice(0, 4)).toStrictEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'TaskStateEntered']);
    expect(events[2]!.timestamp!.getTime()).toBe(T0 + 60_000);
  });

  it('ends a caught failure in the catcher state and a stopped execution with ExecutionAborted', async () => {
    const caught = await runToEnd({ StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }], End: true }, Recover: { Type: 'Pass', End: true } } }, { fail: true });
    expect(caught.map((e) => e.type)).toStrictEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed', 'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    expect(JSON.parse(caught[5]!.stateExitedEventDetails!.output!)).toMatchObject({ Error: 'Flaky' });

    const stateMachineArn = machines.register({ name: 'stopped', definition: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } } });
    const { executionArn } = machines.startExecution({ stateMachineArn });
    for (let i = 0; i < 1000 && clock.pendingTimers() === 0; i++) await new Promise((r) => setImmediate(r));
    await wire.client.send(new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'by test' }));
    await machines.waitForExecution(executionArn);
    const stopped = await history(executionArn);
    expect(stopped.at(-1)).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'Cancelled', cause: 'by test' } });
  });
});
