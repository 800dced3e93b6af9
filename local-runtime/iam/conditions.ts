/**
 * IAM `Condition` blocks: the common operators, `...IfExists`, `ForAnyValue:` /
 * `ForAllValues:`, and `Null`. An operator outside this set makes the block "unknown": the
 * evaluator then skips an Allow statement and applies a Deny statement, so an unsupported
 * condition can only make the local run stricter than AWS, never looser.
 */
import { globMatches } from './glob';

/** Request context values, keyed by condition key (`aws:SourceArn`, `sqs:...`); keys are case-insensitive. */
export type ConditionContext = Readonly<Record<string, string | number | boolean | readonly string[]>>;

/** A condition block's result. */
export type ConditionResult = 'true' | 'false' | 'unknown';

type Compare = (actual: string, wanted: string) => boolean;

const num = (f: (a: number, b: number) => boolean): Compare => (a, b) => f(Number(a), Number(b));

const POSITIVE: Record<string, Compare> = {
  stringequals: (a, b) => a === b,
  stringequalsignorecase: (a, b) => a.toLowerCase() === b.toLowerCase(),
  stringlike: (a, b) => globMatches(b, a, false),
  arnequals: (a, b) => globMatches(b, a, false),
  arnlike: (a, b) => globMatches(b, a, false),
  bool: (a, b) => a.toLowerCase() === b.toLowerCase(),
  numericequals: num((a, b) => a === b),
  numericlessthan: num((a, b) => a < b),
  numericlessthanequals: num((a, b) => a <= b),
  numericgreaterthan: num((a, b) => a > b),
  numericgreaterthanequals: num((a, b) => a >= b),
  dateequals: (a, b) => Date.parse(a) === Date.parse(b),
  datelessthan: (a, b) => Date.parse(a) < Date.parse(b),
  dategreaterthan: (a, b) => Date.parse(a) > Date.parse(b),
};

const NEGATED: Record<string, string> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
  numericnotequals: 'numericequals',
  datenotequals: 'dateequals',
};

function lookup(context: ConditionContext, key: string): string[] | undefined {
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(context)) {
    if (k.toLowerCase() === wanted) return Array.isArray(v) ? v.map(String) : [String(v)];
  }
  return undefined;
}

function evaluateKey(operator: string, wanted: string[], actual: string[] | undefined): ConditionResult {
  let op = operator.toLowerCase();
  let set: 'any' | 'all' | undefined;
  if (op.startsWith('foranyvalue:')) [set, op] = ['any', op.slice(12)];
  else if (op.startsWith('forallvalues:')) [set, op] = ['all', op.slice(13)];
  const ifExists = op.endsWith('ifexists');
  if (ifExists) op = op.slice(0, -8);
  if (op === 'null') return String(actual === undefined) === wanted[0]?.toLowerCase() ? 'true' : 'false';
  const negated = Object.hasOwn(NEGATED, op);
  const compare = POSITIVE[negated ? NEGATED[op] : op];
  if (!compare) return 'unknown';
  if (actual === undefined) return ifExists || negated || set === 'all' ? 'true' : 'false';
  const hit = (a: string) => wanted.some((w) => compare(a, w));
  const matched = set === 'all' ? actual.every(hit) : actual.some(hit);
  return matched !== negated ? 'true' : 'false';
}

/** Evaluates a statement's `Condition` block against the request context. */
export function evaluateConditions(block: unknown, context: ConditionContext): ConditionResult {
  if (block === undefined) return 'true';
  let result: ConditionResult = 'true';
  for (const [operator, keys] of Object.entries(block as Record<string, Record<string, unknown>>)) {
    for (const [key, value] of Object.entries(keys ?? {})) {
      const wanted = (Array.isArray(value) ? value : [value]).map(String);
      const r = evaluateKey(operator, wanted, lookup(context, key));
      if (r === 'false') return 'false';
      if (r === 'unknown') result = 'unknown';
    }
  }
  return result;
}
