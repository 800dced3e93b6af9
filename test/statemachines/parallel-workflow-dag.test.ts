import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { ancestorsOf, type DagStep, dagViolations, planDag } from '../../statemachines/dag';
import { parallelWorkflowDefinition, stepStateNames } from '../../statemachines/parallel-workflow';
import { workflowRunner } from '../helpers/workflow-runner';

/** A random DAG: step i may depend on any earlier step; declared in a shuffled order. */
const dagArb = (maxSteps: number) =>
  fc.integer({ min: 1, max: maxSteps }).chain((n) =>
    fc.tuple(
      fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => `s${j}`)))),
      fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
    ).map(([deps, order]) => order.map((i) => ({ id: `s${i}`, dependsOn: deps[i] }) as DagStep)));

interface Placement {
  /** Runs that precede the step's run on the path from the start state (its host chain). */
  readonly chain: readonly string[];
  /** The steps its gate checks. */
  readonly gate: readonly string[];
}

/**
 * Reads back, from the ASL alone, what precedes each step's run: the runs of the branches
 * enclosing it (every state before `Then` in an enclosing branch) and its gate's dependsOn.
 */
function placements(definition: { States: Record<string, any> }): Map<string, Placement> {
  const found = new Map<string, Placement>();
  const walkBranches = (branches: any[], chain: string[]) => {
    for (const branch of branches) {
      const id = String(branch.StartAt).replace(/\.Gate$/, '');
      const n = stepStateNames(id);
      const gate = branch.States[n.gate];
      expect(found.has(id)).toBe(false);
      found.set(id, { chain, gate: gate.Type === 'Pass' ? [] : gate.Parameters.Payload.dependsOn });
      // Only the run's success path (Record → Then) and a skip lead into Then.
      expect(branch.States[n.record].Next).toBe(n.then);
      const then = branch.States[n.then];
      if (then.Type === 'Parallel') walkBranches(then.Branches, [...chain, id]);
    }
  };
  walkBranches(definition.States.Workflow.Branches, []);
  return found;
}

describe('DAG compiler (property tests)', () => {
  it('places every step once; its gate checks exactly its dependencies; nothing it does not depend on precedes it', () => {
    fc.assert(fc.property(dagArb(14), fc.constantFrom('abort', 'continue'), (steps, policy) => {
      const definition = parallelWorkflowDefinition({ steps: steps.map((s) => ({ ...s, functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${s.id}` })), failurePolicy: policy as 'abort', pollSeconds: 1 }, { coordinatorArn: 'arn:aws:lambda:us-east-1:000000000000:function:c' });
      const plan = planDag(steps);
      const placed = placements(definition);
      expect([...placed.keys()].sort()).toStrictEqual(steps.map((s) => s.id).sort());
      for (const s of steps) {
        const p = placed.get(s.id) as Placement;
        const deps = [...new Set(s.dependsOn)];
        // Every topological constraint: all direct dependencies are checked before the run.
        expect([...p.gate].sort()).toStrictEqual([...deps].sort());
        // Maximal parallelism: what precedes the run is all ancestors, so no unrelated wait.
        const ancestors = ancestorsOf(plan, s.id);
        for (const before of p.chain) expect(ancestors.has(before)).toBe(true);
        // The branch starts right after one of the step's own dependencies (or at the start).
        expect(p.chain.at(-1)).toBe(deps.length === 0 ? undefined : plan.host.get(s.id));
      }
    }), { numRuns: 300 });
  });

  it('orders steps topologically', () => {
    fc.assert(fc.property(dagArb(20), (steps) => {
      const { order, dependsOn } = planDag(steps);
      const at = new Map(order.map((id, i) => [id, i]));
      expect(order.length).toBe(steps.length);
      for (const [id, deps] of dependsOn) for (const d of deps) expect(at.get(d)).toBeLessThan(at.get(id) as number);
    }));
  });

  it('names every cycle it is given', () => {
    fc.assert(fc.property(dagArb(10).filter((s) => s.length >= 2), fc.nat(), (steps, pick) => {
      // Close a cycle: the first-declared ancestor-free step now depends on a descendant chain end.
      const sorted = [...steps].sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
      const low = sorted[pick % (sorted.length - 1)];
      const high = sorted[sorted.length - 1];
      const cyclic = steps.map((s) => (s.id === low.id ? { ...s, dependsOn: [...(s.dependsOn ?? []), high.id] } : s));
      const withEdge = cyclic.map((s) => (s.id === high.id ? { ...s, dependsOn: [...new Set([...(s.dependsOn ?? []), low.id])] } : s));
      const violations = dagViolations(withEdge);
      expect(violations.some((v) => v.startsWith('steps form a cycle') && v.includes(low.id) && v.includes(high.id))).toBe(true);
    }));
  });

  it('runs every step no earlier than its last dependency and at most one poll after it, on the local runtime', async () => {
    await fc.assert(fc.asyncProperty(dagArb(7), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 7, maxLength: 7 }), async (steps, durations) => {
      const clock = new ManualClock();
      const t0 = clock.now();
      const times = new Map<string, { start: number; end: number }>();
      const r = workflowRunner(steps.map((s, i) => ({ ...s, run: async () => {
        const start = clock.now() - t0;
        await clock.sleep(durations[i] * 1000);
        times.set(s.id, { start, end: clock.now() - t0 });
        return s.id;
      } })), { failurePolicy: 'abort', pollSeconds: 1 }, clock);
      try {
        const arn = r.start();
        for (let sec = 0; sec < 60 && r.machines.describeExecution(arn).status === 'RUNNING'; sec++) {
          for (let i = 0; i < 30; i++) await new Promise((resolve) => setImmediate(resolve));
          await clock.advance(1_000);
        }
        expect(r.machines.describeExecution(arn).status).toBe('SUCCEEDED');
        for (const s of steps) {
          const ready = Math.max(0, ...(s.dependsOn ?? []).map((d) => (times.get(d) as { end: number }).end));
          const { start } = times.get(s.id) as { start: number };
          expect(start).toBeGreaterThanOrEqual(ready);
          expect(start).toBeLessThanOrEqual(ready + 1_000);
        }
      } finally {
        await r.machines.dispose();
      }
    }), { numRuns: 25 });
  }, 120_000);
});

describe('DAG validation', () => {
  it('fails on duplicate ids, unknown and self dependencies, and cycles, naming each', () => {
    expect(dagViolations([
      { id: 'a' }, { id: 'a' },
      { id: 'b', dependsOn: ['ghost', 'b'] },
      { id: 'c', dependsOn: ['d'] }, { id: 'd', dependsOn: ['e'] }, { id: 'e', dependsOn: ['c'] },
    ])).toStrictEqual([
      'step id "a" is declared more than once',
      'step "b" depends on unknown step "ghost"',
      'step "b" depends on itself',
      'steps form a cycle (each depends on the next): c → d → e → c',
    ]);
  });
});
