/**
 * Prepares an ASL definition for aws-local-stepfunctions: classifies every Task (at any
 * depth: Map item processors, Parallel branches) by what serves it locally, rewrites Wait
 * states into Tasks that sleep on the injected clock (the library would sleep in wall time),
 * and gives Tasks without a timeout AWS's "no timeout" instead of the library's 60 s.
 */
import { AwsServiceError } from '../scheduling/errors';
import { type DistributedMapSpec, isDistributedMap, prepareDistributedMap } from './distributed-map';
import { takeExecutionTimeout } from './execution-timeout';

/** How one Task state is served locally. */
export type TaskKind =
  | { readonly kind: 'lambda-invoke' }
  | { readonly kind: 'lambda-arn'; readonly functionArn: string }
  | { readonly kind: 'wait'; readonly wait: WaitSpec }
  | { readonly kind: 'service'; readonly resource: string }
  | { readonly kind: 'distributed-map'; readonly spec: DistributedMapSpec }
  | { readonly kind: 'unsupported'; readonly resource: string; readonly reason: string };

/** The duration fields of a Wait state. */
export interface WaitSpec {
  readonly Seconds?: number;
  readonly Timestamp?: string;
  readonly SecondsPath?: string;
  readonly TimestampPath?: string;
}

/** A definition ready for the library, with each Task state's local handling by state name. */
export interface PreparedDefinition {
  readonly definition: Record<string, unknown>;
  readonly tasks: ReadonlyMap<string, TaskKind>;
  /** Names of the states that have a `Retry` field. */
  readonly retryStates: readonly string[];
  /** The top-level TimeoutSeconds in ms, removed from `definition` (timed on the runtime's clock). */
  readonly executionTimeoutMs?: number;
}

/** The Resource the rewritten Wait states carry (never called: their override serves them). */
export const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::pp-local:wait';

/** The longest timeout Node's setTimeout (used by the library) can hold, in seconds. */
export const MAX_TASK_TIMEOUT_SECONDS = 2_147_483;

type State = Record<string, unknown>;

function invalid(message: string): AwsServiceError {
  return new AwsServiceError('InvalidDefinition', 400, `Invalid State Machine Definition: ${message}`);
}

/** Classifies a Task `Resource`. */
export function classifyResource(resource: string): TaskKind {
  if (resource.endsWith('.waitForTaskToken')) return { kind: 'unsupported', resource, reason: 'task-token callbacks (.waitForTaskToken) are not served locally' };
  if (/^arn:aws[\w-]*:states:::lambda:invoke$/.test(resource)) return { kind: 'lambda-invoke' };
  const fn = /^(arn:aws[\w-]*:lambda:[^:]+:\d+:function:[^:]+)(?::[^:]+)?$/.exec(resource);
  if (fn) return { kind: 'lambda-arn', functionArn: fn[1] };
  if (/^arn:aws[\w-]*:states:::/.test(resource)) return { kind: 'service', resource };
  return { kind: 'unsupported', resource, reason: 'activities are not served locally' };
}

function clampTimeout(state: State): State {
  if (state.TimeoutSecondsPath !== undefined) return state;
  const given = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : MAX_TASK_TIMEOUT_SECONDS;
  return { ...state, TimeoutSeconds: Math.min(given, MAX_TASK_TIMEOUT_SECONDS) };
}

function record(tasks: Map<string, TaskKind>, name: string, kind: TaskKind): void {
  const previous = tasks.get(name);
  if (previous && JSON.stringify(previous) !== JSON.stringify(kind)) {
    // Overrides are keyed by state name across all nesting levels, so names must not clash.
    throw invalid(`two Task/Wait states are named "${name}" with different resources; rename one to run it locally`);
  }
  tasks.set(name, kind);
}

interface Collected {
  readonly tasks: Map<string, TaskKind>;
  readonly retryStates: Set<string>;
}

function prepareState(name: string, state: State, found: Collected): State {
  const { tasks } = found;
  if (Array.isArray(state.Retry)) found.retryStates.add(name);
  switch (state.Type) {
    case 'Task': {
      if (typeof state.Resource !== 'string') throw invalid(`Task "${name}" has no Resource`);
      record(tasks, name, classifyResource(state.Resource));
      return clampTimeout(state);
    }
    case 'Wait': {
      const { Type: _type, Seconds, Timestamp, SecondsPath, TimestampPath, ...rest } = state;
      record(tasks, name, { kind: 'wait', wait: { Seconds, Timestamp, SecondsPath, TimestampPath } as WaitSpec });
      return { ...rest, Type: 'Task', Resource: LOCAL_WAIT_RESOURCE, TimeoutSeconds: MAX_TASK_TIMEOUT_SECONDS };
    }
    case 'Map': {
      if (isDistributedMap(state)) {
        // Its item processor runs as child executions of a machine of its own (see distributed-map.ts).
        const { task, spec } = prepareDistributedMap(name, state);
        record(tasks, name, { kind: 'distributed-map', spec });
        return clampTimeout(task);
      }
      const key = state.ItemProcessor ? 'ItemProcessor' : 'Iterator';
      return { ...state, [key]: prepareMachine(state[key] as State, found) };
    }
    case 'Parallel':
      return { ...state, Branches: (state.Branches as State[]).map((b) => prepareMachine(b, found)) };
    default:
      return state;
  }
}

function prepareMachine(machine: State, found: Collected): State {
  const states = (machine?.States ?? {}) as Record<string, State>;
  return { ...machine, States: Object.fromEntries(Object.entries(states).map(([n, s]) => [n, prepareState(n, s, found)])) };
}

/**
 * Prepares a definition (JSON text or object) for local execution.
 * @throws AwsServiceError InvalidDefinition for non-JSON text or clashing state names
 */
export function prepareDefinition(definition: string | object): PreparedDefinition {
  let parsed: unknown = definition;
  if (typeof definition === 'string') {
    try {
      parsed = JSON.parse(definition);
    } catch (err) {
      throw invalid(`not JSON: ${(err as Error).message}`);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || typeof (parsed as State).States !== 'object') throw invalid('expected an object with States');
  if ((parsed as State).QueryLanguage === 'JSONata') throw invalid('JSONata definitions are not run locally; use JSONPath');
  const found: Collected = { tasks: new Map(), retryStates: new Set() };
  const { definition: prepared, timeoutMs } = takeExecutionTimeout(prepareMachine(parsed as State, found));
  return { definition: prepared, tasks: found.tasks, retryStates: [...found.retryStates], executionTimeoutMs: timeoutMs };
}
