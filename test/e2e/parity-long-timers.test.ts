/**
 * Parity item 6: timers above Node's 2^31-1 ms (~24.8 days) on a manual clock. A rule every
 * 40 days starts a state machine with a 90-day TimeoutSeconds that waits 30 days and then
 * calls a function: it must neither time out at once nor skip its Wait. A machine waiting
 * 100 days times out at day 90 of the clock, not before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { LONG_TIMERS, longTimersStack, synthParity, type ParityAssembly } from './parity-fixtures/stacks';

const DAY = 86_400_000;
let assembly: ParityAssembly;
let runtime: LocalRuntime;
let clock: ManualClock;
beforeAll(async () => {
  assembly = synthParity((app) => longTimersStack(app));
  clock = new ManualClock();
  // TTL sweeps every clock minute would be 130,000 settles over these days; the stack has no table.
  runtime = await LocalRuntime.start({ assemblyDir: assembly.outdir, clock, ttlSweepIntervalMs: 365 * DAY });
});
afterAll(async () => {
  await runtime?.stop();
  assembly?.cleanup();
});

async function executions(output: string) {
  return (await Promise.resolve(runtime.stateMachines.listExecutions({ stateMachineArn: runtime.output(output) }))).executions;
}

describe('long timers', () => {
  const start = () => new ManualClock().now();

  it('fires a 40-day rule at day 40, and the execution parks at its 30-day Wait instead of timing out', async () => {
    await runtime.advanceClock((LONG_TIMERS.ruleDays - 1) * DAY);
    expect(await executions('ReminderArn')).toStrictEqual([]);
    await runtime.advanceClock(DAY);
    expect((await executions('ReminderArn')).map((e) => e.status)).toStrictEqual(['RUNNING']);
  });

  it('runs the function after the 30-day Wait, at that clock time', async () => {
    await runtime.advanceClock(LONG_TIMERS.waitDays * DAY);
    const [first] = await executions('ReminderArn');
    const record = runtime.stateMachines.describeExecution(first!.executionArn);
    expect(record.status).toBe('SUCCEEDED');
    expect(JSON.parse(record.output!).at).toBe(new Date(start() + (LONG_TIMERS.ruleDays + LONG_TIMERS.waitDays) * DAY).toISOString());
  });

  it('times a 90-day TimeoutSeconds out on the clock: running at day 89, TIMED_OUT at day 90', async () => {
    const { executionArn } = runtime.stateMachines.startExecution({ stateMachineArn: runtime.output('StuckArn') });
    await runtime.advanceClock((LONG_TIMERS.timeoutDays - 1) * DAY);
    expect(runtime.stateMachines.describeExecution(executionArn).status).toBe('RUNNING');
    await runtime.advanceClock(DAY);
    const record = runtime.stateMachines.describeExecution(executionArn);
    expect([record.status, record.error]).toStrictEqual(['TIMED_OUT', 'States.Timeout']);
  });
});
