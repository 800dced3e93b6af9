/**
 * Which sent message a dead-lettered message stands for, so `dlq` counts messages, not bodies.
 *
 * A message redriven after `maxReceiveCount` keeps its message ID (as on AWS). A poison record
 * a handler parks itself is a new message; pp-patterns handlers name the record's ID in the
 * `PpSourceMessageId` attribute, so two deliveries of one record parked twice count once. A
 * user's handler that parks without it counts each parked message.
 */
import { MessageAttribute } from '../../../functions/contract';
import type { HeldMessage } from '../emulators/sqs';

/** The identity of a dead-lettered message: its source message ID when named, else its own. */
export function deadLetterIdentity(message: HeldMessage): string {
  return message.messageAttributes[MessageAttribute.sourceMessageId]?.StringValue ?? message.messageId;
}
