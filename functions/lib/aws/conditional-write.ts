/**
 * Conditional writes as the stores use them: a failed condition is an answer (another writer
 * won, or the item is not in the expected state), not an error.
 */

/**
 * Runs a conditional write; resolves to `undefined` when its condition failed, and rethrows
 * any other error. The error is recognised by its name, not `instanceof`: an error that
 * crossed a module boundary (another copy of the SDK, a local emulator's client) fails
 * `instanceof`, and importing the exception class would load the DynamoDB client with this
 * module, before any handler needs it.
 */
export async function unlessConditionFails<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
}
