/**
 * IAM's wildcard matching: `*` is any run of characters (including `:` and `/`), `?` is
 * exactly one character, everything else is literal.
 */

const cache = new Map<string, RegExp>();

/** Whether `value` matches the IAM wildcard `pattern`. */
export function globMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    cache.set(key, re);
  }
  return re.test(value);
}
