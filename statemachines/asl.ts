/**
 * The slice of the Amazon States Language (JSONPath flavour) our builders emit. Typed so a
 * misspelt field fails type-checking rather than the deployment; it is deliberately not the
 * whole language.
 */

/** A state machine definition. */
export interface AslDefinition {
  /** Name of the first state. */
  readonly StartAt: string;
  /** The states, by name. */
  readonly States: Readonly<Record<string, AslState>>;
  /** Whole-execution timeout. @default - none (the service maximum) */
  readonly TimeoutSeconds?: number;
  /** Free text shown in the console. @default - none */
  readonly Comment?: string;
}

/** One retry rule of a Task. */
export interface AslRetrier {
  /** Error names it matches. */
  readonly ErrorEquals: readonly string[];
  /** Seconds before the first retry. @default 1 */
  readonly IntervalSeconds?: number;
  /** Retries at most. @default 3 */
  readonly MaxAttempts?: number;
  /** Multiplier of the interval per retry. @default 2 */
  readonly BackoffRate?: number;
  /** Longest wait between two attempts, in seconds. @default - no cap */
  readonly MaxDelaySeconds?: number;
  /** `FULL` waits a random time between 0 and the computed interval. @default "NONE" */
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

/** One catch rule of a Task. */
export interface AslCatcher {
  /** Error names it matches. */
  readonly ErrorEquals: readonly string[];
  /** Where the error goes in the input; `null` drops it. @default "$" */
  readonly ResultPath?: string | null;
  /** State to go to. */
  readonly Next: string;
}

/** One rule of a Choice (only the comparisons our builders need). */
export type AslChoiceRule =
  | { readonly Variable: string; readonly NumericGreaterThan: number; readonly Next: string }
  | { readonly Variable: string; readonly NumericLessThanEquals: number; readonly Next: string }
  | { readonly Variable: string; readonly IsPresent: boolean; readonly Next: string };

/** Fields every non-terminal state has. */
interface Transition {
  /** The next state. */
  readonly Next: string;
}

/** A Pass state. */
export interface AslPass extends Transition {
  /** State type. */
  readonly Type: 'Pass';
  /** The state's output (keys ending in `.$` are paths or intrinsic functions). */
  readonly Parameters: Readonly<Record<string, unknown>>;
}

/** A Task state: `Next`, or `End: true` as the last state of a Map's item processor. */
export interface AslTask extends Partial<Transition> {
  /** State type. */
  readonly Type: 'Task';
  /** Ends the (sub-)machine instead of a `Next`. @default - false */
  readonly End?: true;
  /** Service integration or activity ARN. */
  readonly Resource: string;
  /** Integration parameters. @default - the whole input */
  readonly Parameters?: Readonly<Record<string, unknown>>;
  /** Where the result goes; `null` discards it. @default "$" */
  readonly ResultPath?: string | null;
  /** Retry rules, tried in order. @default - no retries */
  readonly Retry?: readonly AslRetrier[];
  /** Catch rules, tried in order after retries. @default - errors fail the execution */
  readonly Catch?: readonly AslCatcher[];
  /** Seconds before the Task fails with States.Timeout. @default - none */
  readonly TimeoutSeconds?: number;
  /** Reshapes the raw result before ResultPath. @default - the raw result */
  readonly ResultSelector?: Readonly<Record<string, unknown>>;
  /** Selects the state's output. @default "$" */
  readonly OutputPath?: string;
}

/** A Wait state with a fixed duration. */
export interface AslWait extends Transition {
  /** State type. */
  readonly Type: 'Wait';
  /** Seconds to wait. */
  readonly Seconds: number;
}

/** A Choice state. */
export interface AslChoice {
  /** State type. */
  readonly Type: 'Choice';
  /** Rules, tried in order. */
  readonly Choices: readonly AslChoiceRule[];
  /** State to go to when no rule matches. */
  readonly Default: string;
}

/** A Succeed state. */
export interface AslSucceed {
  /** State type. */
  readonly Type: 'Succeed';
}

/** Any state our builders emit. */
export type AslState = AslPass | AslTask | AslWait | AslChoice | AslSucceed | AslMap | AslFail;

/** A Fail state; ErrorPath/CausePath take the error from the state input. */
export interface AslFail {
  /** State type. */
  readonly Type: 'Fail';
  /** Error name. @default - none */
  readonly Error?: string;
  /** Path of the error name in the input. @default - none */
  readonly ErrorPath?: string;
  /** Error cause. @default - none */
  readonly Cause?: string;
  /** Path of the cause in the input. @default - none */
  readonly CausePath?: string;
}

/** Where a Distributed Map reads its items (S3). */
export interface AslItemReader {
  /** `arn:aws:states:::s3:getObject` or `arn:aws:states:::s3:listObjectsV2`. */
  readonly Resource: string;
  /** How the object is read (getObject only). @default - a JSON array */
  readonly ReaderConfig?: Readonly<Record<string, unknown>>;
  /** Bucket and Key (or Prefix); `.$` keys are paths into the state input. */
  readonly Parameters: Readonly<Record<string, unknown>>;
}

/** A Map state, inline or distributed. */
export interface AslMap extends Transition {
  /** State type. */
  readonly Type: 'Map';
  /** The sub-machine run per item (or per batch); `ProcessorConfig` picks the mode. */
  readonly ItemProcessor: {
    readonly ProcessorConfig: { readonly Mode: 'INLINE' } | { readonly Mode: 'DISTRIBUTED'; readonly ExecutionType: 'EXPRESS' | 'STANDARD' };
    readonly StartAt: string;
    readonly States: Readonly<Record<string, AslState>>;
  };
  /** Path of the item array in the input (without an ItemReader). @default "$" */
  readonly ItemsPath?: string;
  /** Reads the items from S3 (distributed only). @default - the ItemsPath array */
  readonly ItemReader?: AslItemReader;
  /** Each item's input; `$$.Map.Item.Value` / `.Index` are the item and its index. @default - the item */
  readonly ItemSelector?: Readonly<Record<string, unknown>>;
  /** Groups items into batches (distributed only). @default - one item per child */
  readonly ItemBatcher?: { readonly MaxItemsPerBatch?: number; readonly MaxInputBytesPerBatch?: number; readonly BatchInput?: Readonly<Record<string, unknown>> };
  /** Items (or batches) in flight at once; 0 means as many as possible. @default 0 */
  readonly MaxConcurrency?: number;
  /** Failed items tolerated, as a count (distributed only). @default 0 */
  readonly ToleratedFailureCount?: number;
  /** Failed items tolerated, as a percentage (distributed only). @default 0 */
  readonly ToleratedFailurePercentage?: number;
  /** Where the results go; `null` discards them. @default "$" */
  readonly ResultPath?: string | null;
  /** Catch rules. @default - errors fail the execution */
  readonly Catch?: readonly AslCatcher[];
}
