import { describe, expect, it } from 'vitest';
import { advanceSettled, settleWith } from '../../../local-runtime/runtime/driver/settle';
import { SettleTimeoutError } from '../../../local-runtime/runtime/errors';
import { ManualClock } from '../../../local-runtime/scheduling/clock';
import { ClockError } from '../../../local-runtime/scheduling/errors';

/** A busy check answering from a script, then quiet; counts its calls. */
function scripted(answers: (string | undefined)[]) {
  let calls = 0;
  return { check: async () => answers[calls++], calls: () => calls };
}

describe('settleWith', () => {
  it('resolves only after two quiet checks in a row', async () => {
    const busy = scripted(['queue q holds 1 messages', undefined, 'function f is running', undefined, undefined]);
    await settleWith(busy.check, 10_000);
    expect(busy.calls()).toBe(5);
  });

  it('gives up with a SettleTimeoutError naming what was still busy', async () => {
    const error = await settleWith(async () => 'queue q holds 2 messages', 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettleTimeoutError);
    expect(error).toMatchObject({ busy: 'queue q holds 2 messages', message: expect.stringMatching(/did not settle within 0 ms: queue q holds 2 messages/) });
  });
});

describe('advanceSettled', () => {
  it('fires timers one by one, settling between them, so a timer registered by settled work fires in the same call', async () => {
    const clock = new ManualClock({ start: 0 });
    const fired: number[] = [];
    let work: Promise<void> = Promise.resolve();
    // The timer at 10 starts work it does not await; that work, once done, wants a timer at 15.
    clock.setTimer(10, () => {
      fired.push(clock.now());
      work = new Promise((resolve) => setImmediate(resolve)).then(() => void clock.setTimer(15, () => void fired.push(clock.now())));
    });
    clock.setTimer(20, () => void fired.push(clock.now()));
    const count = await advanceSettled(clock, 30, () => work);
    expect({ fired, count, now: clock.now() }).toStrictEqual({ fired: [10, 15, 20], count: 3, now: 30 });
  });

  it('refuses to go back in time', async () => {
    await expect(advanceSettled(new ManualClock(), -1, async () => undefined)).rejects.toBeInstanceOf(ClockError);
  });
});
