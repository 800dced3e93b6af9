import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../local-runtime/runtime/faults/fault-injector';
import { ClockMirror } from '../../../local-runtime/runtime/lambda/clock-mirror';
import { FunctionHost, type FunctionHostOptions } from '../../../local-runtime/runtime/lambda/function-host';
import { ManualClock, RealClock } from '../../../local-runtime/scheduling/clock';

const T0 = Date.UTC(2025, 0, 1);
const TIMEOUT_MS = 5_000;
const dir = mkdtempSync(join(tmpdir(), 'pp-worker-clock-test-'));
// Reads every form of "now", plus plain date arithmetic that must stay untouched.
writeFileSync(join(dir, 'clock.mjs'), `
const loadedAt = Date.now();
class Stamp extends Date {}
export const handler = async (event, ctx) => {
  if (event.waitForChange) {
    const first = Date.now();
    console.log('first read');
    while (Date.now() === first) await new Promise((resolve) => setTimeout(resolve, 5));
    return { first, second: Date.now() };
  }
  return {
    loadedAt, now: Date.now(), constructed: new Date().getTime(), text: Date(), subclass: new Stamp().getTime(),
    isDate: new Date() instanceof Date && new Stamp() instanceof Date, epoch: new Date(0).toISOString(),
    utc: Date.UTC(2020, 0, 1), parsed: Date.parse('2020-01-01T00:00:00Z'), remaining: ctx.getRemainingTimeInMillis(),
  };
};`);

const hosts: FunctionHost[] = [];
const mirrors: ClockMirror[] = [];
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  mirrors.forEach((m) => m.dispose());
  rmSync(dir, { recursive: true, force: true });
});

function host(options: Partial<FunctionHostOptions> = {}): FunctionHost {
  const h = new FunctionHost(
    { name: 'clock', arn: 'arn:aws:lambda:us-east-1:000000000000:function:clock', handler: { file: join(dir, 'clock.mjs'), exportName: 'handler', format: 'esm' }, env: {}, timeoutMs: TIMEOUT_MS, memoryMb: 128, concurrency: 1 },
    { faults: new FaultInjector(), ...options },
  );
  hosts.push(h);
  return h;
}

function manual(): { clock: ManualClock; mirror: ClockMirror } {
  const clock = new ManualClock({ start: T0 });
  const mirror = ClockMirror.follow(clock) as ClockMirror;
  mirrors.push(mirror);
  return { clock, mirror };
}

type Reading = Record<string, unknown> & { remaining: number };

describe('Lambda workers on the runtime clock', () => {
  it('gives Date.now(), new Date(), Date() and Date subclasses the manual clock\'s time, before and after an advance', async () => {
    const { clock, mirror } = manual();
    const h = host({ clockBuffer: mirror.buffer });
    const first = (await h.invoke({})) as Reading & { text: string };
    expect(first).toMatchObject({ loadedAt: T0, now: T0, constructed: T0, subclass: T0, isDate: true });
    await clock.advance(90_000);
    const second = (await h.invoke({})) as Reading & { text: string };
    expect(second).toMatchObject({ now: T0 + 90_000, constructed: T0 + 90_000, subclass: T0 + 90_000 });
    // Date() text has whole seconds, in the worker's time zone (which Date.parse reads back).
    expect([Date.parse(first.text), Date.parse(second.text)]).toStrictEqual([T0, T0 + 90_000]);
  });

  it('leaves explicit dates, Date.UTC and Date.parse alone, and the remaining time in wall time', async () => {
    const { mirror } = manual();
    const reading = (await host({ clockBuffer: mirror.buffer }).invoke({})) as Reading;
    expect(reading).toMatchObject({ epoch: '1970-01-01T00:00:00.000Z', utc: Date.UTC(2020, 0, 1), parsed: Date.UTC(2020, 0, 1) });
    expect(reading.remaining).toBeGreaterThan(0);
    expect(reading.remaining).toBeLessThanOrEqual(TIMEOUT_MS);
  });

  it('moves the time of an invocation already running when the clock advances', async () => {
    const { clock, mirror } = manual();
    let firstRead: () => void = () => undefined;
    const read = new Promise<void>((resolve) => (firstRead = resolve));
    const h = host({ clockBuffer: mirror.buffer, onLog: (_name, line) => line === 'first read' && firstRead() });
    const running = h.invoke({ waitForChange: true });
    await read;
    await clock.advance(1_000);
    expect(await running).toStrictEqual({ first: T0, second: T0 + 1_000 });
  });

  it('keeps the wall clock in workers without a shared clock', async () => {
    const before = Date.now();
    const reading = (await host().invoke({})) as Reading;
    expect(reading.now).toBeGreaterThanOrEqual(before);
    expect(reading.now).toBeLessThanOrEqual(Date.now());
  });

  it('gives workers a scaled wall clock\'s time, which runs at its rate', async () => {
    const clock = new RealClock({ timeScale: 0.01 });
    const mirror = ClockMirror.follow(clock) as ClockMirror;
    mirrors.push(mirror);
    const h = host({ clockBuffer: mirror.buffer });
    await h.invoke({});
    const before = clock.now();
    const reading = (await h.invoke({})) as Reading;
    const after = clock.now();
    expect(reading.now).toBeGreaterThanOrEqual(before);
    expect(reading.now).toBeLessThanOrEqual(after);
    // A wall clock would not have moved 100 clock ms in the time 1 wall ms passes.
    const wallBefore = Date.now();
    while (Date.now() < wallBefore + 2) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(mirror.now() - before).toBeGreaterThanOrEqual(100);
  });

  it('mirrors only clocks that report their changes or run at a known scale', () => {
    const real = new RealClock();
    expect(ClockMirror.follow(real)).toBeUndefined();
    const { clock, mirror } = manual();
    mirror.dispose();
    void clock.advance(5_000);
    expect(mirror.now()).toBe(T0);
  });
});
