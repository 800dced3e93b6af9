/**
 * Parking spent flags in a dead-letter queue: one message per flag (body: the flag and its
 * last error as JSON), with the reason in the same attribute the work-queue DLQs use, so one
 * operator runbook reads both.
 */
import { MessageAttribute } from '../../contract';
import type { QueuePublisher } from '../publisher';
import { MAX_REASON_CHARS } from '../work-queue/dead-letter';
import type { FlagDeadLetter } from './sweep-run';
import type { Flag } from './types';

/** The body of a parked flag's message. */
export interface ParkedFlagMessage {
  /** The flag as last claimed. */
  readonly flag: Flag;
  /** The error of its last attempt. */
  readonly error: string;
}

/** A {@link FlagDeadLetter} publishing to a queue; `onParked` counts what was parked. */
export function queueFlagDeadLetter(publisher: Pick<QueuePublisher, 'publish'>, onParked: (count: number) => void = () => undefined): FlagDeadLetter {
  return {
    async park(flags) {
      await publisher.publish(flags.map(({ flag, error }) => ({
        body: JSON.stringify({ flag, error } satisfies ParkedFlagMessage),
        attributes: { [MessageAttribute.errorReason]: error.slice(0, MAX_REASON_CHARS), [MessageAttribute.errorType]: 'SweepAttemptsExhausted' },
      })));
      onParked(flags.length);
    },
  };
}
