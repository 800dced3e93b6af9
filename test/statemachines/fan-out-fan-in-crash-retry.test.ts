import { describe, expect, it } from 'vitest';
import { fanOutFanInDefinition, FanOutStates } from '../../statemachines/fan-out-fan-in';
import { BASE_OPTIONS } from './fixtures/fan-out-harness';

describe('FanOutFanIn definition: crashed environments', () => {
  it('the join and the finalizer retry a crash or an init timeout (both idempotent), not a handled error', () => {
    const d = fanOutFanInDefinition(BASE_OPTIONS, { workerArn: 'w', joinArn: 'j', finalizerArn: 'f' }) as unknown as { States: Record<string, { Retry: { ErrorEquals: string[] }[] }> };
    for (const state of [FanOutStates.join, FanOutStates.finalize]) {
      const retried = d.States[state]!.Retry.flatMap((r) => r.ErrorEquals);
      expect(retried).toEqual(expect.arrayContaining(['Runtime.ExitError', 'Lambda.Unknown', 'Lambda.ServiceException']));
      expect(retried).not.toContain('States.ALL');
      expect(retried).not.toContain('States.TaskFailed');
    }
  });
});
