/**
 * Where a local Step Functions run differs from AWS. The README lists these; a test that
 * depends on one must emulate it or say so, never pass by accident.
 */

/** One known difference between the local executor and AWS Step Functions. */
export interface KnownGap {
  /** A stable identifier. */
  readonly id: string;
  /** What differs, and what happens locally instead. */
  readonly description: string;
}

/** The known local gaps of aws-local-stepfunctions 3.0.0 as wired here. */
export const KNOWN_GAPS: readonly KnownGap[] = [
  { id: 'distributed-map-children', description: 'DISTRIBUTED Map runs its children as executions of their own (ItemReader, ItemBatcher, tolerated failures, ResultWriter, DescribeMapRun emulated), but Express children have no 5-minute limit and are counted in state transitions, not Express requests and duration; MaxConcurrencyPath, ToleratedFailure*Path, Label and ItemBatcher *Path fields are not evaluated (boot warning).' },
  { id: 'item-reader-formats', description: 'ItemReader reads JSON, JSONL and CSV objects (s3:getObject) and prefixes (s3:listObjectsV2); manifests, Parquet and ResultWriter WriterConfig are not served; intrinsic functions in a Distributed Map ItemSelector are not evaluated (boot warning).' },
  { id: 'task-tokens', description: 'Task-token callbacks (.waitForTaskToken, SendTaskSuccess/Failure/Heartbeat) are not served: such Tasks fail with States.Runtime.' },
  { id: 'jsonata', description: 'QueryLanguage JSONata is not executed: such definitions are rejected at registration.' },
  { id: 'retry-intervals', description: 'Retry intervals are not waited on the injected clock: retries run at once (retryIntervals: "immediate", the default) or sleep in wall time ("real").' },
  { id: 'wall-clock-timeouts', description: 'Task TimeoutSeconds and HeartbeatSeconds are measured in wall time, not on the injected clock (the execution TimeoutSeconds is on the clock); $$.Execution.StartTime is wall time.' },
  { id: 'data-limit-partial', description: 'The 256 KiB payload limit is checked on Lambda inputs/results and the execution output only, not between every state; States.DataLimitExceeded cannot be caught even by name.' },
  { id: 'state-names', description: 'Task and Wait state names must be unique across nesting levels (AWS allows repeats in separate branches).' },
  { id: 'integrations', description: 'Only Lambda tasks are built in; other optimized integrations (sqs, dynamodb, events, states) need the invokeService callback, else they fail with States.Runtime.' },
  { id: 'async-invoke', description: 'lambda:invoke with InvocationType Event runs the function to completion before the state moves on (its errors are ignored, as on AWS).' },
  { id: 'express', description: 'Express workflows (StartSyncExecution) and execution history (GetExecutionHistory) are not served.' },
];
