import { describe, expect, it } from 'vitest';
import { MessageAttribute } from '../../../functions/contract';
import { deadLetterIdentity } from '../../../local-runtime/runtime/accounting/dead-letter-identity';
import type { HeldMessage } from '../../../local-runtime/runtime/emulators/sqs';

const parked = (messageId: string, body: string, source?: string): HeldMessage => ({
  messageId, body, approximateReceiveCount: 0,
  messageAttributes: source === undefined ? {} : { [MessageAttribute.sourceMessageId]: { DataType: 'String', StringValue: source } },
});

describe('deadLetterIdentity', () => {
  it('counts two parkings of one source message once, and identical bodies of separate messages each', () => {
    const messages = [parked('d1', 'same', 'm1'), parked('d2', 'same', 'm1'), parked('d3', 'same', 'm2'), parked('m3', 'same'), parked('m4', 'same')];
    expect(new Set(messages.map(deadLetterIdentity)).size).toBe(4);
  });
});
