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

/** One rule of a Choice (only the numeric comparison our builders need). */
export interface AslChoiceRule {
  /** Path of the compared value. */
  readonly Variable: string;
  /** Matches when the value is greater than this. */
  readonly NumericGreaterThan: number;
  /** State to go to on a match. */
  readonly Next: string;
}

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

/** A Task state. */
export interface AslTask extends Transition {
  /** State type. */
  readonly Type: 'Task';
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
export type AslState = AslPass | AslTask | AslWait | AslChoice | AslSucceed;
