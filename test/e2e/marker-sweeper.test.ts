/**
 * End to end on the embedded local runtime: the synthesized MarkerSweeper and RollingPoller
 * stack, bundled handlers in worker threads, SQS on fauxqs, DynamoDB on dynalite, and the
 * schedules on a manual clock that the test advances minute by minute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import type { ManualClock } from '../../local-runtime/scheduling/clock';
import { queueBodies, sendJson, startE2ERuntime, type E2ERuntime } from '../helpers/e2e-runtime';
import { E2EOutput, E2E_WINDOW_SIZE, markerSweeperStack } from './marker-sweeper-fixtures/stack';

const MINUTE = 60_000;
let e2e: E2ERuntime;
let runtime: LocalRuntime;
let clock: ManualClock;

beforeAll(async () => {
  e2e = await startE2ERuntime({ define: markerSweeperStack, runtime: { maxWorkersPerFunction: 3 } });
  ({ runtime, clock } = e2e);
}, 300_000);

afterAll(() => e2e?.stop());

const send = (output: string, bodies: readonly unknown[]): Promise<void> => sendJson(e2e, output, bodies);

/** The queues functions consume (the ingress queues); result queues are only read by the test. */
const CONSUMED = [E2EOutput.roomsIngressUrl, E2EOutput.remarksIngressUrl, E2EOutput.jobsIngressUrl];

/** True when no consumed message waits or is in flight and no function runs. */
async function quiet(): Promise<boolean> {
  if (runtime.pollers.some((poller) => poller.inProgress > 0)) return false;
  if (runtime.lambdas.hosts().some((host) => host.busy > 0)) return false;
  for (const output of CONSUMED) {
    const depth = await runtime.sqs.depth(runtime.queue(output).name);
    if (depth.visible + depth.inFlight + depth.delayed > 0) return false;
  }
  return true;
}

/** Waits (wall time) until {@link quiet} holds twice in a row. */
async function settle(): Promise<void> {
  let quietChecks = 0;
  for (let i = 0; i < 1_200 && quietChecks < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    quietChecks = (await quiet()) ? quietChecks + 1 : 0;
  }
  expect(quietChecks).toBe(2);
}

/** One scheduled minute: fires the rules, then waits for everything they started. */
async function nextMinute(): Promise<void> {
  await clock.advance(MINUTE);
  await settle();
}

const bodies = <T>(output: string): Promise<T[]> => queueBodies<T>(runtime, output);

type Delivered = { key: string; marks: number };

describe('MarkerSweeper end to end (local runtime, manual clock)', () => {
  it('turns 300 mark events over 37 keys into exactly 37 deliveries', async () => {
    await send(E2EOutput.roomsIngressUrl, Array.from({ length: 300 }, (_, i) => ({ room: `room-${i % 37}` })));
    await settle();
    await nextMinute();
    const delivered = (await bodies<Delivered>(E2EOutput.deliveriesQueueUrl)).filter((flag) => flag.key.startsWith('room-'));
    expect(delivered).toHaveLength(37);
    expect(new Set(delivered.map((flag) => flag.key)).size).toBe(37);
    expect(delivered.reduce((sum, flag) => sum + flag.marks, 0)).toBe(300);
  });

  it('delivers again a flag re-marked during its sweep, and the others once', async () => {
    await send(E2EOutput.remarksIngressUrl, [{ room: 'remark-1' }, { room: 'plain-1' }]);
    await settle();
    await nextMinute();
    await nextMinute();
    const recorded = await bodies<Delivered>(E2EOutput.recordQueueUrl);
    expect(recorded.filter((flag) => flag.key === 'remark-1').map((flag) => flag.marks)).toStrictEqual([1, 2]);
    expect(recorded.filter((flag) => flag.key === 'plain-1')).toHaveLength(1);
  });

  it('never lets concurrent sweepers deliver one flag twice', async () => {
    await send(E2EOutput.roomsIngressUrl, Array.from({ length: 200 }, (_, i) => ({ room: `concurrent-${i}` })));
    await settle();
    const sweeperName = runtime.output(E2EOutput.roomsSweeper);
    await Promise.all([1, 2, 3].map(() => runtime.lambdas.invoke(sweeperName, { source: 'e2e' })));
    await settle();
    const delivered = (await bodies<Delivered>(E2EOutput.deliveriesQueueUrl)).filter((flag) => flag.key.startsWith('concurrent-'));
    expect(delivered).toHaveLength(200);
    expect(new Set(delivered.map((flag) => flag.key)).size).toBe(200);
  });
});

describe('RollingPoller end to end (local runtime, manual clock)', () => {
  it('polls 300 items in windows of 30, one call per window, and never polls a completed item', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `job-${i}`);
    await send(E2EOutput.jobsIngressUrl, ids.map((id, i) => ({ action: 'watch', id, data: { doneAfter: (i % 3) + 1 } })));
    await settle();
    const completedBefore = new Set<string>();
    const callsPerTick: number[] = [];
    let seenCalls = 0;
    for (let tick = 0; tick < 4; tick++) {
      await nextMinute();
      const calls = await bodies<string[]>(E2EOutput.jobsCallsUrl);
      const fresh = calls.slice(seenCalls);
      seenCalls = calls.length;
      callsPerTick.push(fresh.length);
      expect(fresh.flat().filter((id) => completedBefore.has(id))).toStrictEqual([]);
      for (const event of await bodies<{ id: string }>(E2EOutput.jobsCompletionsUrl)) completedBefore.add(event.id);
    }
    expect(callsPerTick).toStrictEqual([300 / E2E_WINDOW_SIZE, Math.ceil(200 / E2E_WINDOW_SIZE), Math.ceil(100 / E2E_WINDOW_SIZE), 0]);
    expect(completedBefore.size).toBe(300);
  });
});
