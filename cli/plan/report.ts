/**
 * `pp plan`'s printed report: the verdict of the stability rule, the backlog table, the
 * concurrency needed and the modeled monthly cost.
 */
import { formatSeconds } from '../units';
import type { MonthlyCost } from './cost';
import type { Plan, PlanInput } from './model';

/** Rows of the backlog table (every tenth of the horizon). */
const ROWS = 10;

/** The report as lines of text. */
export function planReport(input: PlanInput, plan: Plan, cost: MonthlyCost, drainTargetSeconds?: number): string[] {
  const s = plan.stability;
  const ic = input.itemConcurrency ?? 1;
  const verdictText = {
    drains: `stable: ${fmt(s.effectiveSecondsPerItem)} s per item < ${fmt(s.interarrivalSeconds)} s between arrivals`,
    balanced: `balanced, no slack: ${fmt(s.effectiveSecondsPerItem)} s per item = ${fmt(s.interarrivalSeconds)} s between arrivals; a backlog never shrinks`,
    grows: `unstable: ${fmt(s.effectiveSecondsPerItem)} s per item > ${fmt(s.interarrivalSeconds)} s between arrivals; the backlog grows without bound`,
  }[plan.verdict];
  const lines = [
    `pp plan (modeled) — ${input.scaling.mode} scaling, concurrency ${fmt(plan.envelope.initial)} → ${fmt(plan.envelope.ceiling)}` +
      (plan.envelope.rampPerSecond > 0 ? ` (+${fmt(plan.envelope.rampPerSecond * 60)}/min)` : ''),
    `arrivals ${fmt(input.arrivalRate)}/s, burst ${fmt(input.burst ?? 0)}, ${fmt(input.itemSeconds)} s per item, ${ic} item(s) at once per ${input.scaling.mode === 'fixed' ? 'worker' : 'invocation'}`,
    `verdict: ${verdictText}`,
    '',
    row('time', 'concurrency', 'backlog'),
    row('----', '-----------', '-------'),
  ];
  const step = (plan.points.length - 1) / ROWS;
  for (let i = 0; i <= ROWS; i++) {
    const p = plan.points[Math.round(i * step)];
    if (p) lines.push(row(formatSeconds(p.t), fmt(p.concurrency), fmt(p.backlog)));
  }
  lines.push(
    '',
    `drain time: ${drainText(plan, input)}`,
    `peak backlog: ${fmt(plan.peakBacklog)} items`,
    `concurrency needed to keep up: ${s.requiredMaxConcurrency} (${input.scaling.mode === 'fixed' ? 'workers' : 'MaximumConcurrency'})`,
  );
  if (drainTargetSeconds !== undefined) {
    const needed = Math.ceil(((input.arrivalRate + (input.burst ?? 0) / drainTargetSeconds) * input.itemSeconds) / ic);
    lines.push(`concurrency needed to drain the burst within ${formatSeconds(drainTargetSeconds)} (once scaled): ${needed}`);
  }
  lines.push('', `monthly cost (modeled, list prices, no free tier) for ${fmt(cost.items)} items:`);
  for (const line of cost.lines) lines.push(`  ${line.item.padEnd(40)} ${fmt(line.units).padStart(16)}  ${line.usd === undefined ? 'not priced' : usd(line.usd)}`);
  lines.push(`  ${'total'.padEnd(40)} ${''.padStart(16)}  ${usd(cost.totalUsd)}`);
  return lines;
}

function drainText(plan: Plan, input: PlanInput): string {
  if (plan.verdict === 'grows') return 'never: the backlog grows without bound';
  if (plan.drainSeconds === undefined) return 'never (within the searched week)';
  return (input.burst ?? 0) === 0 ? 'nothing to drain (no burst)' : formatSeconds(plan.drainSeconds);
}

function usd(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function row(a: string, b: string, c: string): string {
  return `${a.padStart(10)}  ${b.padStart(12)}  ${c.padStart(14)}`;
}

/** Rounds for display: integers as such, others to 3 significant digits. */
function fmt(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(Number(value.toPrecision(3)));
}
