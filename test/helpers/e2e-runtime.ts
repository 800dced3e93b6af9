/**
 * Boots a fixture stack on the embedded local runtime for an end-to-end test file: the stack is
 * synthesized with bundling into a fresh folder under `os.tmpdir()`, run on a {@link ManualClock}
 * the test advances, and everything is torn down (SQS client, runtime, folder) by `stop()`.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { App } from 'aws-cdk-lib';
import { expect } from 'vitest';
import { packageRoot } from '../../infra/private/paths';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import type { LocalRuntimeOptions } from '../../local-runtime/runtime/options';
import { ManualClock, type ManualClockOptions } from '../../local-runtime/scheduling/clock';
import { newTestApp } from './synth';

/** Options of {@link startE2ERuntime}. */
export interface E2ERuntimeOptions {
  /** Adds the fixture stack to the app (the assembly must hold exactly one stack). */
  readonly define: (app: App) => unknown;
  /** Start of the manual clock. @default - ManualClock's own default start */
  readonly clock?: ManualClockOptions;
  /** Further runtime options. @default - the runtime's defaults, projectRoot = the package root */
  readonly runtime?: Omit<LocalRuntimeOptions, 'assemblyDir' | 'clock'>;
}

/** A fixture stack running on the embedded runtime. */
export interface E2ERuntime {
  /** The running runtime. */
  readonly runtime: LocalRuntime;
  /** The clock its schedules, rules and handlers read. */
  readonly clock: ManualClock;
  /** An SQS client pointed at the runtime. */
  readonly sqs: SQSClient;
  /** Destroys the client, stops the runtime and removes the assembly folder. */
  stop(): Promise<void>;
}

/** Synthesizes `options.define`'s stack and boots it; call `stop()` in `afterAll`. */
export async function startE2ERuntime(options: E2ERuntimeOptions): Promise<E2ERuntime> {
  const testApp = newTestApp({ bundling: true });
  try {
    options.define(testApp.app);
    testApp.app.synth();
    const clock = new ManualClock(options.clock);
    const runtime = await LocalRuntime.start({ projectRoot: packageRoot(), ...options.runtime, assemblyDir: testApp.outdir, clock });
    const sqs = new SQSClient(runtime.clientConfig());
    const stop = async (): Promise<void> => {
      sqs.destroy();
      try {
        await runtime.stop();
      } finally {
        testApp.cleanup();
      }
    };
    return { runtime, clock, sqs, stop };
  } catch (error) {
    testApp.cleanup();
    throw error;
  }
}

/** Sends each body as JSON to the queue at stack output `output`, in batches of 10; expects no failed entry. */
export async function sendJson(e2e: E2ERuntime, output: string, bodies: readonly unknown[]): Promise<void> {
  const QueueUrl = e2e.runtime.output(output);
  for (let i = 0; i < bodies.length; i += 10) {
    const Entries = bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: JSON.stringify(body) }));
    expect((await e2e.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }))).Failed ?? []).toStrictEqual([]);
  }
}

/** The parsed bodies held by the queue at stack output `output` (an uncounted inspection). */
export async function queueBodies<T>(runtime: LocalRuntime, output: string): Promise<T[]> {
  return (await runtime.sqs.inspect(runtime.queue(output).name)).map((message) => JSON.parse(message.body) as T);
}
