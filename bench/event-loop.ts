/**
 * A discrete-event loop for simulations: callbacks registered at virtual times run in time
 * order (ties together, concurrently, so equal-time events race as they would in production),
 * and `sleep` lets async code wait on virtual time. A binary heap keeps 10⁵–10⁶ timers cheap.
 */

type Callback = () => void | Promise<void>;

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: Callback;
}

/** Runs callbacks in virtual-time order; `now()` is the time of the callbacks running. */
export class EventLoop {
  private readonly heap: Timer[] = [];
  private seq = 0;
  private current: number;

  /** @param start the virtual start time, epoch ms */
  constructor(start: number) {
    this.current = start;
  }

  /** The current virtual time, epoch ms. */
  now(): number {
    return this.current;
  }

  /** Runs `fn` at virtual time `at` (or now, if `at` is past). */
  at(at: number, fn: Callback): void {
    this.push({ at: Math.max(at, this.current), seq: this.seq++, fn });
  }

  /** Resolves after `ms` of virtual time. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.at(this.current + ms, resolve));
  }

  /** Runs until no callback is left; callbacks due at the same time run concurrently. */
  async run(): Promise<void> {
    while (this.heap.length > 0) {
      const at = (this.heap[0] as Timer).at;
      this.current = at;
      const batch: Timer[] = [];
      while (this.heap.length > 0 && (this.heap[0] as Timer).at === at) batch.push(this.pop());
      await Promise.all(batch.map((timer) => timer.fn()));
      // Let the continuations of resolved sleeps run (and register their next timers) before time moves.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Timer, heap[parent] as Timer)) break;
      [heap[i], heap[parent]] = [heap[parent] as Timer, heap[i] as Timer];
      i = parent;
    }
  }

  private pop(): Timer {
    const heap = this.heap;
    const top = heap[0] as Timer;
    const last = heap.pop() as Timer;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l] as Timer, heap[m] as Timer)) m = l;
        if (r < heap.length && before(heap[r] as Timer, heap[m] as Timer)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as Timer, heap[i] as Timer];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** A seeded PRNG (mulberry32): the same seed gives the same workload in every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
