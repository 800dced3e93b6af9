/**
 * FanOutFanIn as a Reduce producer: the worker sends each valid item's partial to the Reduce's
 * ingress, the join the run's count of partials once every item settled.
 */
import { sqsSendPort } from '../lib/aws/sqs-send-port';
import type { PartialSink } from '../lib/fan-out-fan-in/worker';
import { QueuePublisher } from '../lib/publisher';

/** Sends partials `{ reduceId: runId, partialId, value }` in full, retried batches. */
export function reducePartialSink(queueUrl: string): PartialSink {
  const publisher = new QueuePublisher({ port: sqsSendPort(queueUrl) });
  return {
    send: async (runId, partials) => void (await publisher.publish(partials.map((p) => ({ body: JSON.stringify({ reduceId: runId, partialId: p.partialId, value: p.value }) })))),
  };
}

/** Sends the count notice `{ reduceId: runId, expected }`. */
export function reduceExpectedDeclarer(queueUrl: string): (runId: string, expected: number) => Promise<void> {
  const publisher = new QueuePublisher({ port: sqsSendPort(queueUrl) });
  return async (runId, expected) => void (await publisher.publish([{ body: JSON.stringify({ reduceId: runId, expected }) }]));
}
