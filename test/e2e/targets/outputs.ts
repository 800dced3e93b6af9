/**
 * Reading the demo stack's list outputs (`DeadLetterQueueUrls`, `PipelineQueueUrls`), the same
 * way for both targets.
 */
import { DEMO_OUTPUT_LIST_SEPARATOR } from '../../../functions/contract';

/** The URLs of a list output, in order. */
export function urlList(value: string): string[] {
  return value.split(DEMO_OUTPUT_LIST_SEPARATOR).map((url) => url.trim()).filter((url) => url !== '');
}
