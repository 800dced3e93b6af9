/**
 * The concurrent duplicate fault: a received message's visibility timeout expires while its
 * batch is still being processed (a slow batch, a timeout shorter than the work), so SQS hands
 * it to another poller and two copies are in flight at once. Either copy may fail while the
 * other succeeds, and either's delete may come first: effects must be idempotent, and a copy
 * parked after its twin's effect is done is a duplicate, not a loss.
 *
 * The expiry is SQS's own timer, not a request anyone pays for, so it goes to the emulator
 * directly and is not counted.
 */
import type { SqsEmulator } from '../emulators/sqs';

/** Makes a received message visible again at once, as an expired visibility timeout would. */
export type ExpireVisibility = (queueUrl: string, receiptHandle: string) => Promise<void>;

/** The emulator-side {@link ExpireVisibility}: ChangeMessageVisibility to 0, uncounted. */
export function emulatorVisibilityExpiry(sqs: SqsEmulator, region: string): ExpireVisibility {
  return async (queueUrl, receiptHandle) => {
    await sqs.callJson('ChangeMessageVisibility', { QueueUrl: sqs.toEmulatorUrl(queueUrl), ReceiptHandle: receiptHandle, VisibilityTimeout: 0 }, { region });
  };
}
