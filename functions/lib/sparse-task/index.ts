/**
 * Sparse Task runtime core: submitter, completion handler, timeout monitor, and the small
 * interfaces they stand on. Pure: no AWS SDK (the adapters live in `functions/lib/aws/`).
 */
export * from './types';
export * from './names';
export * from './timeouts';
export * from './finish-effects';
export * from './submitter';
export * from './completion';
export * from './timeout-monitor';
export * from './parse';
export * from './in-memory';
