/**
 * The `run` driver's two accounting rules, on real stacks: it waits for scheduled work (a
 * MarkerSweeper whose sweep runs every 10 minutes is idle between the marks and the sweep) by
 * skipping the clock through it, and it counts dead-lettered messages by message (20 poison
 * records with one body are 20 dead letters, not 1).
 */
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../infra/private/paths';
import { MarkerSweeper } from '../../infra/marker-sweeper';
import { runToCompletion } from '../../local-runtime/runtime/driver/run-to-completion';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { SkippingClock } from '../../local-runtime/scheduling/skipping-clock';
import { newTestApp } from '../helpers/synth';
import { FixtureStack, synthFixtures } from '../local-runtime/runtime/fixtures/stacks';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function start(assemblyDir: string, stackName: string): Promise<{ runtime: LocalRuntime; clock: SkippingClock }> {
  const clock = new SkippingClock();
  stops.push(() => clock.dispose());
  const runtime = await LocalRuntime.start({ assemblyDir, stackName, projectRoot: packageRoot(), clock });
  stops.push(() => runtime.stop());
  return { runtime, clock };
}

function sweeperStack(app: App): void {
  const stack = new Stack(app, 'SweepRun');
  const deliveries = new Queue(stack, 'Deliveries', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
  const rooms = new MarkerSweeper(stack, 'Rooms', { keyPath: 'room', deliveryQueue: deliveries, sweepSchedule: Schedule.rate(Duration.minutes(10)) });
  new CfnOutput(stack, 'IngressUrl', { value: rooms.ingress.queueUrl });
  new CfnOutput(stack, 'DeliveriesUrl', { value: deliveries.queueUrl });
}

describe('runToCompletion', () => {
  it('waits for the next sweep instead of calling the marked stack idle: lost=0', async () => {
    const testApp = newTestApp({ bundling: true });
    stops.push(() => testApp.cleanup());
    sweeperStack(testApp.app);
    testApp.app.synth();
    const { runtime, clock } = await start(testApp.outdir, 'SweepRun');
    const deliveries = runtime.queue('DeliveriesUrl').name;
    const bodies = Array.from({ length: 40 }, (_, i) => JSON.stringify({ room: `room-${i}` }));
    const { report, timedOut } = await runToCompletion({
      runtime, queueUrl: runtime.queue('IngressUrl').url, bodies, timeoutSeconds: 240, pollSeconds: 0.05,
      countDone: async () => (await runtime.sqs.depth(deliveries)).visible,
    });
    expect([timedOut, report.done, report.deadLettered, report.lost]).toStrictEqual([false, 40, 0, 0]);
    // The sweep ran on the runtime clock, skipped ahead of wall time, not after 10 wall minutes.
    expect(clock.now() - Date.now()).toBeGreaterThan(60_000);
  });

  it('counts 20 poison records with one body as 20 dead-lettered messages: dlq=20, lost=0', async () => {
    const fixtures = synthFixtures();
    stops.push(() => fixtures.cleanup());
    const { runtime } = await start(fixtures.outdir, FixtureStack.worker);
    const table = runtime.tableName('TableName');
    const { report, timedOut } = await runToCompletion({
      runtime, queueUrl: runtime.queue('IngressUrl').url, timeoutSeconds: 240, pollSeconds: 0.05,
      bodies: Array.from({ length: 20 }, () => JSON.stringify({ id: 'same', kind: 'job', poison: true })),
      countDone: () => runtime.dynamodb.count(table),
    });
    expect([timedOut, report.done, report.deadLettered, report.lost]).toStrictEqual([false, 0, 20, 0]);
  });

  it('skips its clock to the visibility timeout of items that failed their first delivery: done=10', async () => {
    const fixtures = synthFixtures();
    stops.push(() => fixtures.cleanup());
    const { runtime, clock } = await start(fixtures.outdir, FixtureStack.worker);
    const table = runtime.tableName('TableName');
    const { report, timedOut } = await runToCompletion({
      runtime, queueUrl: runtime.queue('IngressUrl').url, timeoutSeconds: 240, pollSeconds: 0.05,
      bodies: Array.from({ length: 10 }, (_, i) => JSON.stringify({ id: `retry-${i}`, kind: 'job', failFirst: true })),
      countDone: () => runtime.dynamodb.count(table),
    });
    expect([timedOut, report.done, report.deadLettered, report.lost]).toStrictEqual([false, 10, 0, 0]);
    // The queue's 60 s visibility timeout passed on the runtime clock, skipped to rather than sat out.
    expect(clock.now() - Date.now()).toBeGreaterThan(50_000);
  });
});
