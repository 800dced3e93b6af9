/**
 * What the ParallelWorkflow coordinator keeps per run: one record per step that finished,
 * failed or was skipped. Results travel by reference once they are large (see `refs.ts`).
 */

/** A step that finished; `result` is its value (any JSON). */
export interface DoneRecord {
  readonly step: string;
  readonly status: 'done';
  readonly result: unknown;
}

/** A step whose run failed after its retries. */
export interface FailedRecord {
  readonly step: string;
  readonly status: 'failed';
  /** The error name (`States.Timeout`, the function's error type, …). */
  readonly error: string;
  /** The error message, or Step Functions' cause text when it carries none. */
  readonly cause: string;
}

/** A step that never ran because a dependency failed or was skipped (policy `continue`). */
export interface SkippedRecord {
  readonly step: string;
  readonly status: 'skipped';
  /** The dependencies that did not finish. */
  readonly because: readonly string[];
}

/** Any step record. */
export type StepRecord = DoneRecord | FailedRecord | SkippedRecord;

/** Where step records live: a DynamoDB table (`lib/aws/step-record-store.ts`) or memory. */
export interface StepRecordStore {
  /** The records of `steps` in run `run` that exist. */
  get(run: string, steps: readonly string[]): Promise<Map<string, StepRecord>>;
  /** Writes (or overwrites with the same content) a record; any size. */
  put(run: string, record: StepRecord): Promise<void>;
  /** Every record of the run. */
  list(run: string): Promise<StepRecord[]>;
}

/** What the workflow's state machine sends the coordinator. */
export type CoordinatorEvent =
  | { readonly action: 'gate'; readonly run: string; readonly step: string; readonly dependsOn: readonly string[] }
  | { readonly action: 'record'; readonly run: string; readonly step: string; readonly result: unknown }
  | { readonly action: 'fail'; readonly run: string; readonly step: string; readonly error: { readonly Error?: string; readonly Cause?: string } }
  | { readonly action: 'collect'; readonly run: string; readonly steps: readonly string[] };

/** A gate's answer: run now (with the dependencies' results by id), wait, or skip. */
export type GateAnswer =
  | { readonly status: 'ready'; readonly results: Record<string, unknown> }
  | { readonly status: 'waiting'; readonly results: Record<string, never> }
  | { readonly status: 'skip'; readonly results: Record<string, never> };

/** The run's output. */
export interface WorkflowSummary {
  /** `succeeded` when every step finished, else `failed`. */
  readonly status: 'succeeded' | 'failed';
  /** Finished steps' results by step id (large ones as references). */
  readonly results: Record<string, unknown>;
  /** Every failed step, in declaration order. */
  readonly errors: readonly { readonly step: string; readonly error: string; readonly cause: string }[];
  /** Every skipped step and the dependencies it missed. */
  readonly skipped: readonly { readonly step: string; readonly because: readonly string[] }[];
}
