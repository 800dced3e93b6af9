/**
 * Conditional writes as the stores use them: a failed condition is an answer (another writer
 * won, or the item is not in the expected state), not an error.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/**
 * Runs a conditional write; resolves to `undefined` when its condition failed, and rethrows
 * any other error. The name is checked too, because an error that crossed a module boundary
 * (another copy of the SDK, a local emulator's client) fails `instanceof`.
 */
export async function unlessConditionFails<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
}
