/**
 * Handler entry of the MarkerSweeper's marker (built in): reads each SQS event's key at the
 * construct's `keyPath` and flags it with one conditional write per distinct key. Events
 * without a usable key go to the dead-letter queue with the reason.
 */
import { createMarkerHandler } from '../lib/marker-sweeper/handlers';
import { awsWiring } from './aws-wiring';

/** The Lambda handler: marks each SQS batch into the flag set. */
export const handler = createMarkerHandler({}, awsWiring);
