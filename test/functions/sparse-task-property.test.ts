import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sparseTaskHarness, T0, TIMEOUT_MS } from '../helpers/sparse-task-harness';

const DEADLINE = T0 + TIMEOUT_MS;

/** One step of a race: at `at` ms after submission, these writers run concurrently. */
const step = fc.record({
  at: fc.integer({ min: 0, max: TIMEOUT_MS + 60_000 }),
  writers: fc.array(fc.oneof(
    fc.record({ kind: fc.constant('complete' as const), eventId: fc.constantFrom('e1', 'e2', 'e3'), status: fc.constantFrom('SUCCEEDED' as const, 'FAILED' as const) }),
    fc.record({ kind: fc.constant('monitor' as const) }),
    fc.record({ kind: fc.constant('resubmit' as const) }),
  ), { minLength: 1, maxLength: 4 }),
});

describe('Sparse Task under any interleaving of completions, duplicates, re-submissions and monitor firings', () => {
  it('ends in exactly one terminal state that is never overwritten, with no schedule left and one outcome downstream', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
      const h = sparseTaskHarness();
      await h.submitter.submit({ taskId: 't' });
      let firstTerminal: { status: string; finishedBy?: string } | undefined;
      for (const { at, writers } of [...steps].sort((a, b) => a.at - b.at)) {
        await h.advanceTo(T0 + at);
        await Promise.all(writers.map((w) => {
          if (w.kind === 'complete') return h.completions.handle({ taskId: 't', status: w.status, eventId: w.eventId });
          // The scheduler fires at the deadline or later, never before (at() is rounded up).
          if (w.kind === 'monitor') return at >= TIMEOUT_MS ? h.monitor.fire({ taskId: 't' }) : undefined;
          return h.submitter.submit({ taskId: 't' });
        }));
        const record = h.store.all()[0];
        if (firstTerminal) expect({ status: record?.status, finishedBy: record?.finishedBy }).toStrictEqual(firstTerminal);
        else if (record?.status !== 'PENDING') firstTerminal = { status: record?.status as string, finishedBy: record?.finishedBy };
      }
      await h.advanceTo(DEADLINE + 60_000);
      const record = h.store.all()[0];
      expect(record?.status).not.toBe('PENDING');
      expect(h.starts).toHaveLength(1);
      expect(h.scheduler.armed()).toStrictEqual([]);
      expect(new Set(h.sink.events.map((e) => `${e.eventId}|${e.status}`))).toStrictEqual(new Set([`t:${record?.status}|${record?.status}`]));
      // A completion wins only strictly before the deadline; a timeout only at or after it.
      const finishedAt = record?.finishedAt as number;
      if (record?.status === 'TIMED_OUT') expect(finishedAt).toBeGreaterThanOrEqual(DEADLINE);
      else expect(finishedAt).toBeLessThan(DEADLINE);
    }), { numRuns: 300 });
  });
});
