/**
 * A read-write lock for asynchronous work: any number of shared holders at once, or one
 * exclusive holder. Waiters start in arrival order, so a waiting exclusive holder is not
 * starved by a stream of shared ones.
 */

interface Waiter {
  readonly exclusive: boolean;
  readonly start: () => void;
}

/** Serializes exclusive work against everything else. */
export class ReadWriteLock {
  private shared = 0;
  private exclusive = false;
  private readonly waiters: Waiter[] = [];

  /** Runs `work` alongside other shared holders. */
  public runShared<T>(work: () => Promise<T>): Promise<T> {
    return this.run(false, work);
  }

  /** Runs `work` alone. */
  public runExclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.run(true, work);
  }

  private async run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    if (this.waiters.length > 0 || !this.canStart(exclusive)) await new Promise<void>((start) => this.waiters.push({ exclusive, start }));
    else this.take(exclusive);
    try {
      return await work();
    } finally {
      if (exclusive) this.exclusive = false;
      else this.shared--;
      this.pump();
    }
  }

  private canStart(exclusive: boolean): boolean {
    return !this.exclusive && (!exclusive || this.shared === 0);
  }

  private take(exclusive: boolean): void {
    if (exclusive) this.exclusive = true;
    else this.shared++;
  }

  private pump(): void {
    while (this.waiters.length > 0 && this.canStart(this.waiters[0]!.exclusive)) {
      const next = this.waiters.shift()!;
      this.take(next.exclusive);
      next.start();
    }
  }
}
