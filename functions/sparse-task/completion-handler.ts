/**
 * SparseTask's built-in completion handler (SQS ingress, optionally fed by an EventBridge rule):
 * correlates each completion with its task by task id and moves it PENDING → SUCCEEDED | FAILED.
 * Settings come from the environment the construct sets (`SparseTaskEnv` in the contract).
 */
import { sparseTaskCompletionHandler } from './factory';

/** The Lambda handler. */
export const handler = sparseTaskCompletionHandler();
