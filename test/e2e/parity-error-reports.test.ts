/**
 * Parity item 10: what a failure reports. An order event starts a state machine whose function
 * throws its own error class; after a retry, the Catch's SQS failure path receives Error and
 * Cause, and the Cause's trace is the function's own stack (its file and functions), not the
 * local runtime's frames. A Fail state without Error/Cause reports neither, as on AWS.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { failurePathStack, synthParity, type ParityAssembly } from './parity-fixtures/stacks';

let assembly: ParityAssembly;
let runtime: LocalRuntime;
beforeAll(async () => {
  assembly = synthParity((app) => failurePathStack(app));
  runtime = await LocalRuntime.start({ assemblyDir: assembly.outdir });
});
afterAll(async () => {
  await runtime?.stop();
  assembly?.cleanup();
});

async function failAndDescribe(output: string) {
  const { executionArn } = runtime.stateMachines.startExecution({ stateMachineArn: runtime.output(output) });
  return runtime.stateMachines.waitForExecution(executionArn);
}

describe('a Lambda error caught into an SQS failure path', () => {
  let parked: { Error: string; Cause: string };
  let cause: { errorType: string; errorMessage: string; trace: string[] };
  beforeAll(async () => {
    const events = new EventBridgeClient(runtime.clientConfig());
    try {
      await events.send(new PutEventsCommand({ Entries: [{ Source: 'parity.shop', DetailType: 'OrderPlaced', Detail: JSON.stringify({ orderId: 'o-7' }) }] }));
    } finally {
      events.destroy();
    }
    // The rule starts the execution as it delivers the event; then wait for it to finish.
    await runtime.settle();
    await runtime.stateMachines.drain();
    const bodies = (await runtime.sqs.inspect(runtime.queue('FailuresUrl').name)).map((m) => JSON.parse(m.body));
    parked = bodies[0];
    cause = JSON.parse(parked.Cause);
  });

  it('names the error by the function\'s error class and keeps its message', () => {
    expect([parked.Error, cause.errorType, cause.errorMessage]).toStrictEqual(['OrderRejected', 'OrderRejected', 'order o-7 rejected: credit limit']);
  });

  it('shows the function\'s own stack in the trace', () => {
    expect(cause.trace[0]).toBe('OrderRejected: order o-7 rejected: credit limit');
    expect(cause.trace.slice(1).join('\n')).toMatch(/at checkCredit \(.*index\.mjs:\d+:\d+\)\n\s+at Runtime\.handler|at checkCredit \(.*index\.mjs:\d+:\d+\)\n\s+at handler/);
  });

  it('leaves the local runtime\'s frames out of the trace', () => {
    expect(cause.trace.filter((line) => /function-host|worker-entry|local-runtime|node:internal/.test(line))).toStrictEqual([]);
  });
});

describe('Fail states', () => {
  it('report no error and no cause when the state sets neither', async () => {
    const record = await failAndDescribe('BareFailArn');
    expect([record.status, record.error, record.cause]).toStrictEqual(['FAILED', undefined, undefined]);
  });

  it('report the Error alone when the state sets no Cause', async () => {
    const record = await failAndDescribe('NamedFailArn');
    expect([record.status, record.error, record.cause]).toStrictEqual(['FAILED', 'Refused', undefined]);
  });
});
