/**
 * The items of the end-to-end pipeline and where each one must end, computed from its number:
 * which are dropped by the filter, which the splitter sends where, and which carry a
 * deterministic chain fault (poison or permanent: they can only end in a dead-letter queue).
 */
import { PIPELINE_FAULTS } from './pipeline-stack';
import type { PipelineItem, StageFaults } from './stage';

/** Where an item is expected: nowhere (filtered), the chain, the SMS queue, or the unmatched queue. */
export type Route = 'dropped' | 'chain' | 'sms' | 'unmatched';

/** Item number `n` of the run. */
export function pipelineItem(n: number): PipelineItem {
  const status = n % 10 === 9 ? 'pending' : 'shipped';
  const channel = n % 5 === 0 ? 'sms' : n % 17 === 3 ? 'fax' : n % 23 === 4 ? undefined : 'email';
  return { id: `order-${n}`, n, status, ...(channel === undefined ? {} : { channel }) };
}

/** Where item `n` must go. */
export function routeOf(n: number): Route {
  const item = pipelineItem(n);
  if (item.status !== 'shipped') return 'dropped';
  if (item.channel === 'email') return 'chain';
  return item.channel === 'sms' ? 'sms' : 'unmatched';
}

const hits = (rule: StageFaults['poison'], n: number): boolean => rule !== undefined && n % rule.modulus === rule.remainder;

/** True when a chain stage fails item `n` on every attempt (poison or permanent failure). */
export function alwaysFailsInChain(n: number): boolean {
  return PIPELINE_FAULTS.some((faults) => hits(faults.poison, n) || hits(faults.permanent, n));
}
