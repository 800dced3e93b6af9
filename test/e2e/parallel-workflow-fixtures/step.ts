/** A ParallelWorkflow step of the end-to-end stack: what it does depends on its step id. */
import { workflowStep } from '../../../functions/parallel-workflow/factory';

const SALES: Record<string, number> = { region_north: 10, region_south: 20, region_east: 30 };

/** The Lambda handler. */
export const handler = workflowStep({
  run: async (input: { title: string }, { step, results }) => {
    if (step in SALES) return { sales: SALES[step] };
    if (step === 'combine') return Object.values(results as Record<string, { sales: number }>).reduce((s, r) => s + r.sales, 0);
    if (step === 'details') return { rows: Array.from({ length: 20_000 }, (_, i) => i) };
    if (step === 'broken') throw new Error('upstream is down');
    const rows = (results.details as { rows: number[] }).rows;
    return `${input.title}: ${results.combine} over ${rows.length} rows`;
  },
});
