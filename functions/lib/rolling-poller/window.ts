/**
 * Window and cursor arithmetic: walking the watch table in windows, wrapping at its end, and
 * stopping once a tick has come full circle.
 *
 * Table order is whatever the store pages in (DynamoDB Scan order), so the walker never
 * compares positions: it remembers the ids seen in this tick, and an id seen twice means the
 * tick has covered every item once. Items added behind the cursor join on the next pass;
 * removed items simply stop appearing.
 */
import type { CursorState, WatchItem, WatchStore } from './types';

/** Walks a {@link WatchStore} from a cursor, one window at a time, within one tick. */
export class WindowWalker {
  /** Items skipped because they are backing off after failed checks. */
  backingOff = 0;
  /** Passes completed during this tick. */
  passesCompleted = 0;
  /** Items seen in the last pass completed during this tick (the active-items figure). @default - no pass completed */
  lastPassSize?: number;
  private position: string | undefined;
  private passSeen: number;
  private passes: number;
  private wraps = 0;
  private circled = false;
  private readonly seen = new Set<string>();

  /**
   * @param store the watch table
   * @param cursor where the previous tick stopped
   * @param now the tick's time: items backing off until later are skipped
   */
  constructor(private readonly store: WatchStore, cursor: CursorState, private readonly now: number) {
    this.position = cursor.position;
    this.passSeen = cursor.passSeen;
    this.passes = cursor.passes;
  }

  /** True once this tick has seen every item (or the table twice from end to end). */
  get done(): boolean {
    return this.circled;
  }

  /** The cursor to persist: the next window starts after the last item taken. */
  get cursor(): CursorState {
    return { position: this.position, passSeen: this.passSeen, passes: this.passes };
  }

  /**
   * The next window: up to `size` items due for a check, in table order, continuing across
   * the end of the table. Empty once the tick has come full circle.
   */
  async next(size: number): Promise<WatchItem[]> {
    const window: WatchItem[] = [];
    while (!this.circled && window.length < size) {
      const page = await this.store.page(this.position, size - window.length);
      for (const item of page.items) {
        if (this.seen.has(item.id)) {
          // Full circle: leave the cursor before this item so the next tick starts with it.
          this.circled = true;
          return window;
        }
        this.take(item, window);
      }
      if (page.next !== undefined) this.position = page.next;
      else this.wrap();
    }
    return window;
  }

  private take(item: WatchItem, window: WatchItem[]): void {
    this.seen.add(item.id);
    this.position = item.id;
    this.passSeen += 1;
    if (item.nextPollAt !== undefined && item.nextPollAt > this.now) this.backingOff += 1;
    else window.push(item);
  }

  /** End of the table: a pass is complete; start again from the top (at most twice a tick). */
  private wrap(): void {
    this.lastPassSize = this.passSeen;
    this.passesCompleted += 1;
    this.passes += 1;
    this.passSeen = 0;
    this.position = undefined;
    this.wraps += 1;
    // A second end of table in one tick means every item was seen (or the table is empty).
    if (this.wraps >= 2) this.circled = true;
  }
}
