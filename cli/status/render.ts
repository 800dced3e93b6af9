/**
 * `pp status`'s screen: one row per queue (its DLQ folded in) and one per pattern table.
 */
import { formatSeconds } from '../units';
import type { OldestAges } from './oldest-age';
import type { QueueStatus } from './queues';
import type { StateMachineStatus } from './state-machines';
import type { TableStatus } from './tables';

/** Everything one refresh shows. */
export interface StatusSnapshot {
  readonly title: string;
  readonly queues: readonly QueueStatus[];
  readonly tables: readonly TableStatus[];
  readonly stateMachines: readonly StateMachineStatus[];
  /** Oldest message age per queue name, from CloudWatch. */
  readonly oldestAges: OldestAges;
}

/** The screen as lines of text. */
export function renderStatus(snapshot: StatusSnapshot): string[] {
  const lines = [snapshot.title, ''];
  const width = Math.max(24, ...snapshot.queues.map((q) => q.name.length), ...snapshot.tables.map((t) => t.name.length), ...snapshot.stateMachines.map((m) => m.name.length));
  lines.push(`${'QUEUE'.padEnd(width)}  ${'BACKLOG'.padStart(9)}  ${'IN FLIGHT'.padStart(9)}  ${'DELAYED'.padStart(9)}  ${'OLDEST'.padStart(9)}  ${'DLQ DEPTH'.padStart(9)}`);
  const ages = 'ages' in snapshot.oldestAges ? snapshot.oldestAges.ages : new Map<string, number>();
  for (const q of snapshot.queues) {
    const dlq = q.deadLetter === undefined ? '—' : String(q.deadLetter.depth) + (q.deadLetter.depth > 0 ? ' !' : '');
    const age = ages.get(q.name);
    lines.push(`${q.name.padEnd(width)}  ${num(q.backlog)}  ${num(q.inFlight)}  ${num(q.delayed)}  ${(age === undefined ? '—' : formatSeconds(age)).padStart(9)}  ${dlq.padStart(9)}`);
  }
  if ('unavailable' in snapshot.oldestAges) lines.push(`(oldest message age needs CloudWatch: ${snapshot.oldestAges.unavailable})`);
  if (snapshot.tables.length > 0) {
    lines.push('', `${'TABLE'.padEnd(width)}  ${'PATTERN'.padEnd(10)}  STATE`);
    for (const t of snapshot.tables) lines.push(`${t.name.padEnd(width)}  ${t.kind.padEnd(10)}  ${tableState(t)}`);
  }
  if (snapshot.stateMachines.length > 0) {
    lines.push('', `${'STATE MACHINE'.padEnd(width)}  ${'RUNNING'.padStart(9)}  LATEST ENDED`);
    for (const m of snapshot.stateMachines) lines.push(`${m.name.padEnd(width)}  ${num(m.running)}  ${m.recentSucceeded} succeeded, ${m.recentFailed} failed`);
  }
  return lines;
}

function tableState(t: TableStatus): string {
  if (t.kind === 'flag-set') return `${t.count} outstanding flags, sweep lag ${formatSeconds(t.lagSeconds ?? 0)}`;
  if (t.kind === 'watch') return `${t.count} active polls`;
  return `${t.count} pending tasks, ${t.overdue ?? 0} past their deadline`;
}

function num(value: number): string {
  return String(value).padStart(9);
}
