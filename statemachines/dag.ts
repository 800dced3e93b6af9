/**
 * The DAG compiler of `ParallelWorkflow`: checks the steps' `dependsOn` graph and plans the
 * Step Functions shape. Pure: no aws-cdk-lib, no ASL.
 *
 * The shape. Nested `Parallel` states alone give only series-parallel graphs: for the "N"
 * graph (C needs A and B, D needs only B) any nesting makes D wait for A or C wait on a
 * branch that holds D. So every step runs in a branch of its own that starts right after one
 * of its dependencies, its *host*, and whose first state is a *gate* that waits (polling the
 * run's step records) for its other dependencies:
 *
 * - a step with no dependency is a branch of the top-level `Parallel`;
 * - a step with dependencies is a branch of the `Parallel` that follows its host's run.
 *
 * So the states that precede a step's run are: the runs of its host chain (host, host's host,
 * …, all ancestors of the step) and its gate, which checks exactly its direct dependencies.
 * Hence a step never waits for a step it does not (transitively) depend on, and starts at
 * most one poll interval after its last dependency finishes — at once when the host is the
 * last to finish. The host is the dependency with the longest chain of ancestors (the one
 * most likely to finish last); ties go to the first in `dependsOn`.
 */

/** One step as the compiler sees it. */
export interface DagStep {
  /** Unique id of the step. */
  readonly id: string;
  /** Ids of the steps that must finish first. @default - none */
  readonly dependsOn?: readonly string[];
}

/** The compiled plan. */
export interface DagPlan {
  /** Step ids in a topological order (declaration order among independent steps). */
  readonly order: readonly string[];
  /** Direct dependencies of every step, duplicates removed, in declaration order. */
  readonly dependsOn: ReadonlyMap<string, readonly string[]>;
  /** The dependency each step's branch starts after; absent for roots. */
  readonly host: ReadonlyMap<string, string>;
  /** The steps whose branches start after each step's run (hosted steps), in declaration order. */
  readonly hosted: ReadonlyMap<string, readonly string[]>;
  /** Steps with no dependency: the branches of the top-level Parallel. */
  readonly roots: readonly string[];
}

/**
 * Every problem of a step graph, one message each: duplicate ids, unknown `dependsOn` ids,
 * self-dependencies and cycles (each named as a path `a → b → a`, each step depending on the next).
 */
export function dagViolations(steps: readonly DagStep[]): string[] {
  const violations: string[] = [];
  const seen = new Set<string>();
  for (const step of steps) {
    if (seen.has(step.id)) violations.push(`step id "${step.id}" is declared more than once`);
    seen.add(step.id);
  }
  for (const step of steps) {
    for (const dep of step.dependsOn ?? []) {
      if (dep === step.id) violations.push(`step "${step.id}" depends on itself`);
      else if (!seen.has(dep)) violations.push(`step "${step.id}" depends on unknown step "${dep}"`);
    }
  }
  for (const cycle of findCycles(steps, seen)) violations.push(`steps form a cycle (each depends on the next): ${cycle.join(' → ')}`);
  return violations;
}

/** Cycles of two or more steps (self-loops are reported apart), each once, as closed paths. */
function findCycles(steps: readonly DagStep[], known: ReadonlySet<string>): string[][] {
  const deps = new Map<string, string[]>();
  for (const s of steps) if (!deps.has(s.id)) deps.set(s.id, (s.dependsOn ?? []).filter((d) => d !== s.id && known.has(d)));
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (id: string): void => {
    state.set(id, 'active');
    stack.push(id);
    for (const dep of deps.get(id) ?? []) {
      if (state.get(dep) === 'active') cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of deps.keys()) if (!state.has(id)) visit(id);
  return cycles;
}

/**
 * Plans a valid step graph (see the module comment).
 * @throws Error listing every violation of {@link dagViolations}
 */
export function planDag(steps: readonly DagStep[]): DagPlan {
  const violations = dagViolations(steps);
  if (violations.length > 0) throw new Error(violations.join('; '));
  const dependsOn = new Map(steps.map((s) => [s.id, [...new Set(s.dependsOn ?? [])]]));
  const order = topologicalOrder(steps.map((s) => s.id), dependsOn);
  const depth = new Map<string, number>();
  for (const id of order) depth.set(id, Math.max(-1, ...(dependsOn.get(id) ?? []).map((d) => depth.get(d) as number)) + 1);
  const host = new Map<string, string>();
  const hosted = new Map<string, string[]>(steps.map((s) => [s.id, []]));
  for (const s of steps) {
    const deps = dependsOn.get(s.id) as string[];
    if (deps.length === 0) continue;
    const chosen = deps.reduce((best, d) => ((depth.get(d) as number) > (depth.get(best) as number) ? d : best));
    host.set(s.id, chosen);
    hosted.get(chosen)?.push(s.id);
  }
  return { order, dependsOn, host, hosted, roots: steps.filter((s) => (dependsOn.get(s.id) as string[]).length === 0).map((s) => s.id) };
}

/** Kahn's algorithm, taking ready steps in declaration order. */
function topologicalOrder(ids: readonly string[], dependsOn: ReadonlyMap<string, readonly string[]>): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < ids.length) {
    const ready = ids.filter((id) => !done.has(id) && (dependsOn.get(id) ?? []).every((d) => done.has(d)));
    for (const id of ready) {
      done.add(id);
      order.push(id);
    }
  }
  return order;
}

/** Every step `id` depends on, directly or through other steps. */
export function ancestorsOf(plan: DagPlan, id: string): Set<string> {
  const found = new Set<string>();
  const pending = [...(plan.dependsOn.get(id) ?? [])];
  while (pending.length > 0) {
    const next = pending.pop() as string;
    if (found.has(next)) continue;
    found.add(next);
    pending.push(...(plan.dependsOn.get(next) ?? []));
  }
  return found;
}
