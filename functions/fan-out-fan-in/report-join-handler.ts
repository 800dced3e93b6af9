/**
 * Built-in join entry of FanOutFanIn (used when the construct is given no `joinEntry`): writes
 * the summary report and applies the failure policy, with no combined result.
 */
import { fanOutJoin } from './join-factory';

/** The Lambda handler: the report-only join. */
export const handler = fanOutJoin();
