/**
 * The MarkerSweeper's scheduled runs end to end on the embedded local runtime, driven by a
 * manual clock: the template's EventBridge rule starts the sub-minute Step Functions Wait loop
 * each minute, the loop's Wait states and the sweeper's leases run on that clock, and the
 * bundled handlers read it too (their `Date` follows the runtime clock).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import type { ManualClock } from '../../local-runtime/scheduling/clock';
import { queueBodies, sendJson, startE2ERuntime, type E2ERuntime } from '../helpers/e2e-runtime';
import { E2E_CRASH_LEASE, E2E_SWEEP_INTERVAL, LoopE2EOutput as O, markerSweeperLoopStack } from './marker-sweeper-loop-fixtures/stack';

const MINUTE = 60_000;
const INTERVAL = E2E_SWEEP_INTERVAL.toMilliseconds();
let e2e: E2ERuntime;
let runtime: LocalRuntime;
let clock: ManualClock;

beforeAll(async () => {
  e2e = await startE2ERuntime({ define: markerSweeperLoopStack, runtime: { maxWorkersPerFunction: 2 } });
  ({ runtime, clock } = e2e);
}, 300_000);

afterAll(() => e2e?.stop());

/** Sends `marks` mark events for each key, then lets the markers write them. */
async function mark(output: string, keys: readonly string[], marks: number): Promise<void> {
  await sendJson(e2e, output, keys.flatMap((room) => Array.from({ length: marks }, () => ({ room }))));
  await runtime.settle();
}

async function bodies<T extends { key: string }>(output: string, prefix: string): Promise<T[]> {
  return (await queueBodies<T>(runtime, output)).filter((body) => body.key.startsWith(prefix));
}

/** Advances the clock to just before `at`, then to `at`. */
async function advanceUntilJustBefore(at: number): Promise<void> {
  await runtime.advanceClock(at - 1 - clock.now());
}

type Delivered = { key: string; marks: number };

describe('MarkerSweeper sweeping every 15 s: a rule-started Step Functions Wait loop on the runtime clock', () => {
  it('sweeps at each interval, across the minute boundary, delivering each key once', async () => {
    const firstSweep = clock.now() + MINUTE;
    const sweeps = [0, 1, 2, 3, 4, 5].map((n) => firstSweep + n * INTERVAL);
    for (const [wave, at] of sweeps.entries()) {
      const keys = Array.from({ length: 8 }, (_, k) => `w${wave}-room-${k}`);
      await mark(O.loopIngressUrl, keys, 3);
      await advanceUntilJustBefore(at);
      expect(await bodies(O.deliveriesQueueUrl, `w${wave}-`)).toStrictEqual([]);
      await runtime.advanceClock(1);
      const delivered = await bodies<Delivered>(O.deliveriesQueueUrl, `w${wave}-`);
      expect(delivered.map((flag) => [flag.key, flag.marks]).sort()).toStrictEqual(keys.map((key) => [key, 3]));
    }
    expect(await bodies(O.deliveriesQueueUrl, 'w')).toHaveLength(6 * 8);
  });

  it('ran one loop execution per minute: the first finished its four sweeps, the second waits on the clock', () => {
    const { executions } = runtime.stateMachines.listExecutions({ stateMachineArn: runtime.output(O.loopStateMachineArn) });
    expect(executions.map((e) => e.status)).toStrictEqual(['RUNNING', 'SUCCEEDED']);
    expect(executions.map((e) => e.startDate - executions[1]!.startDate)).toStrictEqual([MINUTE, 0]);
    expect(runtime.stateMachines.activeExecutions).toBe(0);
  });
});

describe('MarkerSweeper lease expiry: a sweep that crashes holding its flags (handlers on the runtime clock)', () => {
  type Recorded = Delivered & { attempts: number; at: number };
  const keys = ['crash-0', 'crash-1', 'crash-2', 'crash-3', 'crash-4'];

  it('sweeps the flags again only once the crashed sweep\'s lease has ended, each key once', async () => {
    await mark(O.crashIngressUrl, keys, 2);
    // The one-minute rule fires on whole minutes of the clock's start.
    const crashAt = Math.ceil((clock.now() + 1) / MINUTE) * MINUTE;
    await runtime.advanceClock(crashAt - clock.now());
    expect(await bodies(O.recordQueueUrl, 'crash-')).toStrictEqual([]);
    const leaseEnd = crashAt + E2E_CRASH_LEASE.toMilliseconds();
    await advanceUntilJustBefore(leaseEnd);
    expect(await bodies(O.recordQueueUrl, 'crash-')).toStrictEqual([]);
    await runtime.advanceClock(1);
    const recorded = await bodies<Recorded>(O.recordQueueUrl, 'crash-');
    expect(recorded.sort((a, b) => (a.key < b.key ? -1 : 1))).toStrictEqual(keys.map((key) => ({ key, marks: 2, attempts: 2, at: leaseEnd })));
  });
});
