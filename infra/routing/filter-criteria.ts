/**
 * Event source mapping filter criteria from body patterns: validated against Lambda's rule
 * syntax and quotas at synth time, and applied to a mapping so dropped messages never invoke
 * (or bill) the function — Lambda deletes them from the queue itself.
 */
import { Token } from 'aws-cdk-lib';
import { CfnEventSourceMapping, type IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { FilterPattern } from '../../functions/contract';
import type { PropsValidator } from '../private/validation';

/** Lambda quotas of event filtering. */
export const FilterLimits = {
  /** Filters (ORed patterns) per event source mapping, the default quota. */
  maxFiltersPerMapping: 5,
  /** Characters of one filter's pattern JSON. */
  maxPatternChars: 4096,
} as const;

const RULE_KEYS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists']);

/**
 * Records a violation for every problem of `patterns`: count outside 1–5, a pattern over 4,096
 * characters, an empty field, an empty rule list, or a rule Lambda does not know.
 *
 * @param prop the prop's name as the user wrote it, e.g. `patterns` or `stages[1].inputFilter`
 */
export function validateFilterPatterns(v: PropsValidator, prop: string, patterns: readonly FilterPattern[] | undefined): void {
  if (patterns === undefined) return;
  const n = patterns.length;
  v.require(n >= 1 && n <= FilterLimits.maxFiltersPerMapping, prop,
    `must hold between 1 and ${FilterLimits.maxFiltersPerMapping} patterns (Lambda's filters per mapping), received ${n}`);
  patterns.forEach((pattern, i) => {
    const chars = criteriaPattern(pattern).length;
    v.require(chars <= FilterLimits.maxPatternChars, `${prop}[${i}]`,
      `must be at most ${FilterLimits.maxPatternChars} characters as JSON (with its body wrapper), received ${chars}`);
    for (const problem of patternProblems(pattern, `${prop}[${i}]`)) v.require(false, problem.where, problem.what);
  });
}

/** The mapping's filter criteria for body patterns (ORed). */
function toFilterCriteria(patterns: readonly FilterPattern[]): CfnEventSourceMapping.FilterCriteriaProperty {
  return { filters: patterns.map((pattern) => ({ pattern: criteriaPattern(pattern) })) };
}

/**
 * Sets filter criteria on the mapping that binds `queue` to `fn`.
 *
 * The mapping is found among `fn`'s children by its event source ARN, because the WorkQueue
 * creates it through `addEventSource` and does not take filters itself.
 *
 * @throws Error when `fn` has no mapping from `queue`
 */
export function applyFilterCriteria(fn: IFunction, queue: IQueue, patterns: readonly FilterPattern[]): void {
  const mapping = fn.node
    .findAll()
    .find((child): child is CfnEventSourceMapping => child instanceof CfnEventSourceMapping && child.eventSourceArn === queue.queueArn);
  if (mapping === undefined) {
    throw new Error(`pp-patterns: ${fn.node.path} has no event source mapping from ${queue.node.path} to filter`);
  }
  mapping.filterCriteria = toFilterCriteria(patterns);
}

function criteriaPattern(pattern: FilterPattern): string {
  return JSON.stringify({ body: pattern });
}

interface Problem {
  readonly where: string;
  readonly what: string;
}

function patternProblems(pattern: unknown, where: string): Problem[] {
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) {
    return [{ where, what: `must be an object of fields, received ${JSON.stringify(pattern)}` }];
  }
  const fields = Object.entries(pattern);
  if (fields.length === 0) return [{ where, what: 'must name at least one field, received {}' }];
  return fields.flatMap(([field, sub]): Problem[] => {
    const at = `${where}.${field}`;
    if (!Array.isArray(sub)) return patternProblems(sub, at);
    if (sub.length === 0) return [{ where: at, what: 'must list at least one rule, received []' }];
    return sub.filter((rule) => !isKnownRule(rule)).map((rule) => ({ where: at, what: `has a rule Lambda does not support: ${JSON.stringify(rule)}` }));
  });
}

function isKnownRule(rule: unknown): boolean {
  if (rule === null || typeof rule === 'string' || typeof rule === 'boolean') return true;
  if (typeof rule === 'number') return Number.isFinite(rule) || Token.isUnresolved(rule);
  if (typeof rule !== 'object' || Array.isArray(rule)) return false;
  const keys = Object.keys(rule);
  return keys.length === 1 && RULE_KEYS.has(keys[0] as string);
}
