/**
 * Errors of the fan-out / fan-in runtime. Their `name` is what Step Functions' Retry and Catch
 * match on, so it is a literal (bundlers minify class names).
 */
import { PpError, type PpErrorOptions } from '../errors';

/** Throw it from `processItem` for an item that can never succeed: it is not retried. */
export class PermanentItemError extends PpError {
  override readonly name: string = 'PermanentItemError';
}

/** Some items of a batch failed: the worker throws it so Step Functions retries the batch (done items are skipped). */
export class ItemsFailedError extends PpError {
  override readonly name: string = 'ItemsFailedError';
  /** Index and error message of each failed item. */
  readonly failures: readonly { readonly index: number; readonly error: string; readonly message: string }[];

  constructor(failures: ItemsFailedError['failures'], options: PpErrorOptions = {}) {
    super(`${failures.length} item(s) failed: ${failures.slice(0, 5).map((f) => `#${f.index} ${f.error}: ${f.message}`).join('; ')}`, options);
    this.failures = failures;
  }
}

/** More items failed than the run tolerates; the report was written first. */
export class ToleratedFailureExceededError extends PpError {
  override readonly name: string = 'ToleratedFailureExceededError';
  /** Where the report with every failure is. */
  readonly reportLocation: string;

  constructor(message: string, reportLocation: string) {
    super(`${message}; report at ${reportLocation}`);
    this.reportLocation = reportLocation;
  }
}
