/**
 * Handler entry of the ParallelWorkflow's coordinator (built in): the state machine's gates,
 * records and final collect, on the run's step-record table.
 */
import { coordinate } from '../lib/parallel-workflow/coordinator';
import type { CoordinatorEvent } from '../lib/parallel-workflow/types';
import { storeFromEnv } from './aws-wiring';

const store = storeFromEnv();

/** The Lambda handler: one coordinator action per invocation. */
export const handler = (event: CoordinatorEvent): Promise<unknown> => coordinate(store, event);
