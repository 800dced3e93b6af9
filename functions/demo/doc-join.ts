/**
 * The document demo's join: merges every valid document's findings into one report of
 * entities (with the documents that mention them), chunks and clauses.
 */
import { fanOutJoin } from '../fan-out-fan-in/join-factory';
import { type DocumentFindings, mergeFindings } from './documents';

/** The Lambda handler. */
export const handler = fanOutJoin<DocumentFindings, ReturnType<typeof mergeFindings>>({
  combine: async (results) => mergeFindings(results.map((r) => r.output)),
});
