/**
 * The core of `workflowStep()`: resolves the dependencies' results passed by reference,
 * runs the user's step, and stores a large result itself, returning a reference.
 */
import { PoisonRecordError } from '../errors';
import { INLINE_RESULT_BYTES, isStepResultRef, jsonBytes, REF_KEY } from './refs';
import type { StepRecordStore } from './types';

/** What the state machine sends a step. */
export interface WorkflowStepEvent {
  /** This step's id. */
  readonly step: string;
  /** The run (execution ARN). */
  readonly run: string;
  /** The workflow's input. */
  readonly input: unknown;
  /** The dependencies' results by step id (some may be references). */
  readonly results: Record<string, unknown>;
}

/** What a step's code receives besides the input. */
export interface WorkflowStepContext {
  /** This step's id. */
  readonly step: string;
  /** The run (execution ARN). */
  readonly run: string;
  /** The dependencies' results by step id, references resolved. */
  readonly results: Record<string, unknown>;
}

/** The user's step: the workflow input and the dependencies' results in, a JSON value out. */
export type WorkflowStepFn<I = unknown, O = unknown> = (input: I, context: WorkflowStepContext) => Promise<O> | O;

/** Runs one step event through `run` (see the module comment). */
export async function runWorkflowStep(store: StepRecordStore, run: WorkflowStepFn, event: WorkflowStepEvent, inlineBytes = INLINE_RESULT_BYTES): Promise<unknown> {
  if (typeof event?.step !== 'string' || typeof event.run !== 'string') throw new PoisonRecordError('a workflow step event needs string "step" and "run" fields');
  const given = event.results ?? {};
  const refs = Object.entries(given).filter(([, v]) => isStepResultRef(v)).map(([k, v]) => [k, (v as Record<string, string>)[REF_KEY]] as const);
  const stored = refs.length > 0 ? await store.get(event.run, refs.map(([, s]) => s)) : new Map();
  const results = Object.fromEntries(Object.entries(given).map(([k, v]) => {
    if (!isStepResultRef(v)) return [k, v];
    const record = stored.get(v[REF_KEY]);
    if (record?.status !== 'done') throw new PoisonRecordError(`result of step "${v[REF_KEY]}" is referenced but not stored in run ${event.run}`);
    return [k, record.result];
  }));
  const value = (await run(event.input, { step: event.step, run: event.run, results })) ?? null;
  if (jsonBytes(value) <= inlineBytes) return value;
  await store.put(event.run, { step: event.step, status: 'done', result: value });
  return { [REF_KEY]: event.step };
}
