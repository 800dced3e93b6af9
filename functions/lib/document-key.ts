/**
 * A DynamoDB key in document form as one comparable string, so batched calls can match
 * requests to results (and spot repeats) whatever the attribute order.
 */
import type { DocumentItem } from './batch-writer';
import { InvalidEntryError } from './errors';

/**
 * The values of `keyAttributes` in `item`, typed (`S:`, `N:`, `B:`) and joined as JSON.
 *
 * @throws InvalidEntryError naming `entryId` if a key attribute is missing
 */
export function documentKey(item: DocumentItem, keyAttributes: readonly string[], entryId: string): string {
  return JSON.stringify(
    keyAttributes.map((name) => {
      const value = item[name];
      if (value === undefined || value === null) throw new InvalidEntryError(entryId, `missing key attribute "${name}"`);
      if (value instanceof Uint8Array) return `B:${Buffer.from(value).toString('base64')}`;
      return `${typeof value === 'string' ? 'S' : 'N'}:${String(value)}`;
    }),
  );
}
