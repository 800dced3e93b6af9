/**
 * Call-recording fakes of the runtime's ports (DataLoader's `[loader, calls]` style): each
 * records the exact batches it was given and answers from a script, so a test can assert
 * precisely what was sent, and what was re-sent.
 */
import type { BatchWritePort, WritePortResult, WriteRequest } from '../batch-writer';
import type { QueueSendPort, SendBatchResult, SendEntry } from '../queue-port';

/** How a fake answers one call: a result, or an error to throw. */
export type Scripted<Result> = Result | { readonly throws: unknown };

/** A {@link QueueSendPort} fake and the ids of every batch it received, in call order. */
export function recordingSendPort(
  answer: (entries: readonly SendEntry[], call: number) => Scripted<SendBatchResult> = () => ({ failed: [] }),
): { port: QueueSendPort; calls: SendEntry[][] } {
  const calls: SendEntry[][] = [];
  const port: QueueSendPort = {
    async sendBatch(entries) {
      calls.push([...entries]);
      return unwrap(answer(entries, calls.length));
    },
  };
  return { port, calls };
}

/** A {@link BatchWritePort} fake and every batch it received, in call order. */
export function recordingWritePort(
  answer: (requests: readonly WriteRequest[], call: number) => Scripted<WritePortResult> = () => ({ unprocessed: [] }),
): { port: BatchWritePort; calls: WriteRequest[][] } {
  const calls: WriteRequest[][] = [];
  const port: BatchWritePort = {
    async write(requests) {
      calls.push([...requests]);
      return unwrap(answer(requests, calls.length));
    },
  };
  return { port, calls };
}

/** An error shaped like an AWS SDK service exception. */
export function awsError(name: string, fault: 'client' | 'server' = 'client', status = fault === 'server' ? 500 : 400): Error {
  return Object.assign(new Error(`${name} (test)`), { name, $fault: fault, $metadata: { httpStatusCode: status } });
}

function unwrap<Result>(scripted: Scripted<Result>): Result {
  if (typeof scripted === 'object' && scripted !== null && 'throws' in scripted) throw scripted.throws;
  return scripted;
}
