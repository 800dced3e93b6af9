import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidExecutionInput,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { KNOWN_GAPS } from '../../local-runtime/stepfunctions/known-gaps';
import { DISPOSED_CAUSE, LocalStateMachines } from '../../local-runtime/stepfunctions/local-state-machines';
import { useWireClient } from './helpers/wire-server';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:double';
const T0 = Date.UTC(2025, 0, 1);

const DIRECT = { StartAt: 'Double', States: { Double: { Type: 'Task', Resource: FN, End: true } } };
const WAIT_THEN_DOUBLE = {
  StartAt: 'Pause',
  States: { Pause: { Type: 'Wait', SecondsPath: '$.delay', Next: 'Double' }, Double: { Type: 'Task', Resource: FN, End: true } },
};

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((r) => setImmediate(r));
  if (!condition()) throw new Error('condition never became true');
}

function setup(extra: Partial<ConstructorParameters<typeof LocalStateMachines>[0]> = {}) {
  const clock = new ManualClock({ start: T0 });
  const invoked: { arn: string; payload: unknown }[] = [];
  const machines = new LocalStateMachines({
    clock,
    invokeLambda: async (arn, payload) => {
      invoked.push({ arn, payload });
      return { n: (payload as { n: number }).n * 2 };
    },
    ...extra,
  });
  return { clock, invoked, machines };
}

describe('LocalStateMachines over the real SFN client', () => {
  let ctx: ReturnType<typeof setup>;
  const wire = useWireClient((req) => ctx.machines.handle(req), (config) => new SFNClient(config));
  let direct: string;
  let waiting: string;

  beforeEach(() => {
    ctx = setup();
    direct = ctx.machines.register({ name: 'direct', definition: JSON.stringify(DIRECT) });
    waiting = ctx.machines.register({ name: 'waiting', definition: WAIT_THEN_DOUBLE });
  });

  it('starts an execution and describes its output once it has run the Lambda', async () => {
    const started = await wire.client.send(new StartExecutionCommand({ stateMachineArn: direct, name: 'e1', input: '{"n":21}' }));
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:direct:e1');
    expect(started.startDate?.getTime()).toBe(T0);
    await ctx.machines.drain();
    const described = await wire.client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'e1', stateMachineArn: direct, input: '{"n":21}', output: '{"n":42}' });
    expect(ctx.invoked).toStrictEqual([{ arn: FN, payload: { n: 21 } }]);
  });

  it('keeps a Wait state running until the injected clock passes it', async () => {
    const { executionArn } = await wire.client.send(new StartExecutionCommand({ stateMachineArn: waiting, input: '{"n":1,"delay":60}' }));
    await until(() => ctx.clock.pendingTimers() === 1);
    await ctx.clock.advance(59_999);
    expect((await wire.client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await ctx.clock.advance(1);
    const done = await ctx.machines.waitForExecution(executionArn as string);
    expect({ status: done.status, output: done.output, stopDate: done.stopDate }).toStrictEqual({ status: 'SUCCEEDED', output: '{"n":2}', stopDate: T0 + 60_000 });
  });

  it('stops a running execution as ABORTED with the given error and cause', async () => {
    const { executionArn } = await wire.client.send(new StartExecutionCommand({ stateMachineArn: waiting, input: '{"n":1,"delay":600}' }));
    await until(() => ctx.clock.pendingTimers() === 1);
    await wire.client.send(new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'by test' }));
    const described = await wire.client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'by test' });
    await ctx.clock.advance(600_000);
    expect(ctx.invoked).toHaveLength(0);
  });

  it('lists executions newest first, filtered by status, with pagination', async () => {
    for (const name of ['a', 'b', 'c']) await wire.client.send(new StartExecutionCommand({ stateMachineArn: direct, name, input: '{"n":1}' }));
    await ctx.machines.drain();
    await wire.client.send(new StartExecutionCommand({ stateMachineArn: waiting, name: 'w', input: '{"n":1,"delay":5}' }));
    const page1 = await wire.client.send(new ListExecutionsCommand({ stateMachineArn: direct, statusFilter: 'SUCCEEDED', maxResults: 2 }));
    expect(page1.executions?.map((e) => e.name)).toStrictEqual(['c', 'b']);
    const page2 = await wire.client.send(new ListExecutionsCommand({ stateMachineArn: direct, statusFilter: 'SUCCEEDED', maxResults: 2, nextToken: page1.nextToken }));
    expect(page2.executions?.map((e) => e.name)).toStrictEqual(['a']);
    const running = await wire.client.send(new ListExecutionsCommand({ stateMachineArn: waiting, statusFilter: 'RUNNING' }));
    expect(running.executions?.map((e) => e.name)).toStrictEqual(['w']);
  });

  it('treats a repeated running execution name with the same input as idempotent, else ExecutionAlreadyExists', async () => {
    const first = await wire.client.send(new StartExecutionCommand({ stateMachineArn: waiting, name: 'same', input: '{"n":1,"delay":5}' }));
    const again = await wire.client.send(new StartExecutionCommand({ stateMachineArn: waiting, name: 'same', input: '{"n":1,"delay":5}' }));
    expect(again.executionArn).toBe(first.executionArn);
    await expect(wire.client.send(new StartExecutionCommand({ stateMachineArn: waiting, name: 'same', input: '{"n":2,"delay":5}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('answers unknown machines, unknown executions and bad input with the AWS errors', async () => {
    const missing = direct.replace(':direct', ':nope');
    await expect(wire.client.send(new StartExecutionCommand({ stateMachineArn: missing }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(wire.client.send(new DescribeExecutionCommand({ executionArn: `${direct.replace('stateMachine', 'execution')}:x` }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(wire.client.send(new StartExecutionCommand({ stateMachineArn: direct, input: '{bad' }))).rejects.toBeInstanceOf(InvalidExecutionInput);
    const err = await wire.client.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' })).catch((e: unknown) => e);
    expect((err as Error).name).toBe('InvalidArn');
  });
});

describe('LocalStateMachines task routing', () => {
  it('has Promise.withResolvers available once the module is loaded (Node 20 polyfill)', () => {
    const { promise, resolve } = (Promise as unknown as { withResolvers: <T>() => { promise: Promise<T>; resolve: (v: T) => void } }).withResolvers<number>();
    resolve(7);
    return expect(promise).resolves.toBe(7);
  });

  it('routes lambda:invoke by FunctionName (name or ARN) and wraps the result like the integration', async () => {
    const { machines, invoked } = setup();
    const definition = {
      StartAt: 'Invoke',
      States: { Invoke: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'double:live', 'Payload.$': '$' }, ResultSelector: { 'p.$': '$.Payload', 'code.$': '$.StatusCode' }, End: true } },
    };
    const arn = machines.register({ name: 'wrapped', definition });
    const done = await machines.waitForExecution(machines.startExecution({ stateMachineArn: arn, input: '{"n":4}' }).executionArn);
    expect(JSON.parse(done.output as string)).toStrictEqual({ p: { n: 8 }, code: 200 });
    expect(invoked[0].arn).toBe(FN);
  });

  it('fails an unsupported integration even under a States.ALL Catch, instead of hiding it', async () => {
    const { machines } = setup();
    const definition = {
      StartAt: 'Callback',
      States: {
        Callback: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: {} }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Swallowed' }], End: true },
        Swallowed: { Type: 'Succeed' },
      },
    };
    const arn = machines.register({ name: 'callback', definition });
    const done = await machines.waitForExecution(machines.startExecution({ stateMachineArn: arn }).executionArn);
    expect({ status: done.status, error: done.error }).toStrictEqual({ status: 'FAILED', error: 'States.Runtime' });
    expect(done.cause).toMatch(/task-token callbacks/);
  });

  it('hands other integrations to invokeService with the resolved Parameters', async () => {
    const calls: unknown[] = [];
    const { machines } = setup({
      invokeService: async (resource, params) => {
        calls.push({ resource, params });
        return { MessageId: 'm-1' };
      },
    });
    const definition = { StartAt: 'Send', States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'http://q', 'MessageBody.$': '$.body' }, End: true } } };
    const arn = machines.register({ name: 'send', definition });
    const done = await machines.waitForExecution(machines.startExecution({ stateMachineArn: arn, input: '{"body":{"k":1}}' }).executionArn);
    expect(calls).toStrictEqual([{ resource: 'arn:aws:states:::sqs:sendMessage', params: { QueueUrl: 'http://q', MessageBody: { k: 1 } } }]);
    expect(done.output).toBe('{"MessageId":"m-1"}');
  });

  it('fails with States.DataLimitExceeded when a Lambda returns more than 256 KiB', async () => {
    const { machines } = setup({ invokeLambda: async () => ({ blob: 'x'.repeat(300_000) }) });
    const arn = machines.register({ name: 'big', definition: DIRECT });
    const done = await machines.waitForExecution(machines.startExecution({ stateMachineArn: arn, input: '{"n":1}' }).executionArn);
    expect({ status: done.status, error: done.error }).toStrictEqual({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });

  it('fails registration for an invalid definition or clashing state names', () => {
    const { machines } = setup();
    expect(() => machines.register({ name: 'bad', definition: { StartAt: 'Missing', States: { A: { Type: 'Succeed' } } } })).toThrow(/definition is invalid/);
    const clash = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, End: true } } },
            { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN.replace('double', 'other'), End: true } } },
          ],
          End: true,
        },
      },
    };
    expect(() => machines.register({ name: 'clash', definition: clash })).toThrow(/two Task\/Wait states are named "T"/);
  });

  it('lists the known local gaps, including what the Distributed Map emulation leaves out', () => {
    expect(KNOWN_GAPS.map((g) => g.id)).toEqual(expect.arrayContaining(['distributed-map-children', 'item-reader-formats', 'task-tokens']));
  });
});

describe('LocalStateMachines lifecycle and callers', () => {
  it('tells invokeLambda and invokeService which state machine and execution each task belongs to', async () => {
    const callers: unknown[] = [];
    const { machines } = setup({
      invokeLambda: async (_arn, _payload, caller) => void callers.push(['lambda', caller]),
      invokeService: async (_resource, _params, caller) => void callers.push(['service', caller]),
    });
    const send = { StartAt: 'Send', States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'm' }, End: true } } };
    const direct = machines.register({ name: 'direct', definition: DIRECT });
    const sender = machines.register({ name: 'sender', definition: send });
    const first = machines.startExecution({ stateMachineArn: direct, name: 'one', input: '{"n":1}' }).executionArn;
    await machines.waitForExecution(first);
    const second = machines.startExecution({ stateMachineArn: sender, name: 'two' }).executionArn;
    await machines.waitForExecution(second);
    expect(callers).toStrictEqual([
      ['lambda', { stateMachineArn: direct, executionArn: first }],
      ['service', { stateMachineArn: sender, executionArn: second }],
    ]);
  });

  it('counts an execution as active while its Task runs, and not while it is parked at a Wait', async () => {
    let finish: (() => void) | undefined;
    const { machines, clock } = setup({ invokeLambda: () => new Promise((resolve) => (finish = () => resolve({ n: 0 }))) });
    const arn = machines.register({ name: 'waiting', definition: WAIT_THEN_DOUBLE });
    const { executionArn } = machines.startExecution({ stateMachineArn: arn, input: '{"n":1,"delay":60}' });
    await until(() => clock.pendingTimers() === 1);
    expect(machines.activeExecutions).toBe(0);
    await clock.advance(60_000);
    await until(() => finish !== undefined);
    expect(machines.activeExecutions).toBe(1);
    finish?.();
    expect((await machines.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(machines.activeExecutions).toBe(0);
  });

  it('dispose aborts every running execution, cancels its Wait timers and refuses new executions', async () => {
    const { machines, clock, invoked } = setup();
    const arn = machines.register({ name: 'waiting', definition: WAIT_THEN_DOUBLE });
    const executions = ['a', 'b'].map((name) => machines.startExecution({ stateMachineArn: arn, name, input: '{"n":1,"delay":600}' }).executionArn);
    await until(() => clock.pendingTimers() === 2);
    await machines.dispose();
    expect(executions.map((e) => machines.describeExecution(e))).toMatchObject([
      { status: 'ABORTED', cause: DISPOSED_CAUSE, stopDate: T0 },
      { status: 'ABORTED', cause: DISPOSED_CAUSE, stopDate: T0 },
    ]);
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(600_000);
    expect(invoked).toStrictEqual([]);
    expect(() => machines.startExecution({ stateMachineArn: arn })).toThrow(/stopped/);
  });
});
