import type { Ledger } from './types';

/** A ledger in memory, with the DynamoDB ledger's conditional semantics; for tests. */
export class InMemoryLedger implements Ledger {
  /** key → enqueued, or a lease end. */
  readonly records = new Map<string, { state: 'claimed' | 'enqueued'; leaseUntil: number }>();

  /** @inheritdoc */
  public async settled(keys: readonly string[], now: number): Promise<Set<string>> {
    return new Set(keys.filter((k) => this.isSettled(k, now)));
  }

  /** @inheritdoc */
  public async claim(key: string, now: number, leaseUntil: number): Promise<boolean> {
    if (this.isSettled(key, now)) return false;
    this.records.set(key, { state: 'claimed', leaseUntil });
    return true;
  }

  /** @inheritdoc */
  public async confirm(keys: readonly string[]): Promise<void> {
    for (const k of keys) this.records.set(k, { state: 'enqueued', leaseUntil: 0 });
  }

  private isSettled(key: string, now: number): boolean {
    const r = this.records.get(key);
    return r !== undefined && (r.state === 'enqueued' || r.leaseUntil > now);
  }
}
