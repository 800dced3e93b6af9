import { describe, expect, it } from 'vitest';
import { runTeardowns } from '../../../local-runtime/runtime/boot';

describe('runTeardowns', () => {
  it('runs every teardown in reverse order even when one fails, then rethrows that failure', async () => {
    const ran: string[] = [];
    const failure = new Error('sqs would not close');
    const teardowns = [
      () => void ran.push('gateway'),
      () => {
        ran.push('sqs');
        throw failure;
      },
      async () => void ran.push('pollers'),
    ];
    await expect(runTeardowns(teardowns)).rejects.toBe(failure);
    expect(ran).toStrictEqual(['pollers', 'sqs', 'gateway']);
  });

  it('runs each teardown once, however often it is called', async () => {
    let runs = 0;
    const teardowns = [() => void runs++];
    await runTeardowns(teardowns);
    await runTeardowns(teardowns);
    expect(runs).toBe(1);
  });
});
