/**
 * The patched aws-local-stepfunctions build (local-runtime/stepfunctions/library.ts): its own
 * timers hold delays above 2^31-1 ms, so a Task whose TimeoutSecondsPath gives 30 days does
 * not time out at once.
 */
import { describe, expect, it } from 'vitest';
import { StateMachine } from '../../local-runtime/stepfunctions/library';

describe('patched aws-local-stepfunctions', () => {
  it('does not time out a Task whose timeout is above 2^31-1 ms', async () => {
    const machine = new StateMachine({
      StartAt: 'Slow',
      States: { Slow: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:slow', TimeoutSecondsPath: '$.timeout', End: true } },
    } as never);
    const slow = () => new Promise((resolve) => setTimeout(() => resolve({ done: true }), 50));
    const run = machine.run({ timeout: 30 * 86_400 } as never, { overrides: { taskResourceLocalHandlers: { Slow: slow } } } as never);
    await expect(run.result).resolves.toStrictEqual({ done: true });
  });
});
