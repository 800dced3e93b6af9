/**
 * The local-throughput benchmark's single-hop stack: one WorkQueue (ingress → worker Lambda)
 * taking 10-record batches with no batching window, the shape of the emulator ceiling's loops.
 */
import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type App } from 'aws-cdk-lib';
import { WorkQueue } from '../../infra/work-queue';

/** Output names of the hop stack. */
export const HopOutput = { ingress: 'HopIngressUrl' } as const;

/** Records per invocation, as the ceiling's receives take them. */
export const HOP_BATCH_SIZE = 10;

/** Adds the hop stack to `app`. */
export function hopStack(app: App, id = 'LocalThroughputHop'): Stack {
  const stack = new Stack(app, id);
  const hop = new WorkQueue(stack, 'Hop', {
    entry: fileURLToPath(new URL('./noop-worker.ts', import.meta.url)),
    batchSize: HOP_BATCH_SIZE,
  });
  new CfnOutput(stack, HopOutput.ingress, { value: hop.ingress.queueUrl });
  return stack;
}
