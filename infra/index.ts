/**
 * pp-patterns: parallel-processing patterns as AWS CDK constructs.
 *
 * This file only re-exports the public constructs; helpers that are not public live in
 * `infra/private/`.
 */
export { WorkQueue } from './work-queue';
export type { WorkQueueProps } from './work-queue';
