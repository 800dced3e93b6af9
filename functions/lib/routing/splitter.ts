/**
 * Splitter: routes each item by one field to a named output, dropping nothing.
 *
 * Unlike a filter, a splitter never loses an item: a value no route claims (or a missing
 * field) goes to the default output.
 */
import { ConfigError } from '../errors';
import { parseFieldPath, readField, routingKeyOf } from './field-path';

/** Configuration of {@link createSplitter}. */
export interface SplitterOptions {
  /** Dot path of the field to route by, e.g. `channel` or `order.channel`. */
  readonly field: string;
  /** Field value → output name. Several values may share an output. */
  readonly routes: Readonly<Record<string, string>>;
  /** The output of items whose field is missing or matches no route. */
  readonly defaultOutput: string;
}

/** Picks the one output of an item. */
export type SplitFn = (item: unknown) => string;

/**
 * Builds the routing function of a splitter.
 *
 * @throws ConfigError when the field path is malformed or an output name is empty
 */
export function createSplitter(options: SplitterOptions): SplitFn {
  const segments = parseFieldPath(options.field);
  const violations: string[] = [];
  if (options.defaultOutput.length === 0) violations.push('defaultOutput must not be empty');
  for (const [value, output] of Object.entries(options.routes)) {
    if (output.length === 0) violations.push(`route "${value}" names an empty output`);
  }
  if (violations.length > 0) throw new ConfigError(violations);
  const routes = new Map(Object.entries(options.routes));
  return (item) => {
    const key = routingKeyOf(readField(item, segments));
    return (key !== undefined ? routes.get(key) : undefined) ?? options.defaultOutput;
  };
}

/** Every output name a splitter can route to: the routes' outputs plus the default, once each. */
export function splitterOutputs(options: Pick<SplitterOptions, 'routes' | 'defaultOutput'>): string[] {
  return [...new Set([...Object.values(options.routes), options.defaultOutput])];
}
