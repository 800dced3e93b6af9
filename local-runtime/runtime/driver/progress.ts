/**
 * A progress line on stderr: redrawn in place on a terminal, printed every few seconds
 * otherwise (CI logs), never on stdout (where the summary goes).
 */

/** What the progress line shows. */
export interface ProgressState {
  readonly sent: number;
  readonly done: number;
  readonly deadLettered: number;
  readonly total: number;
}

/** Options of {@link ProgressReporter}. */
export interface ProgressOptions {
  /** Where to write. @default process.stderr */
  readonly stream?: NodeJS.WriteStream;
  /** Seconds between lines when the stream is not a terminal. @default 5 */
  readonly plainIntervalSeconds?: number;
}

const BAR_WIDTH = 30;

/** Renders one progress line. */
export function progressLine(state: ProgressState): string {
  const settled = state.done + state.deadLettered;
  const fraction = state.total > 0 ? Math.min(1, settled / state.total) : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
  return `[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}%  sent ${state.sent}/${state.total}  done ${state.done}  dlq ${state.deadLettered}`;
}

/** Shows progress on stderr. */
export class ProgressReporter {
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private lastPlain = 0;

  /** @param options stream and plain-mode interval */
  constructor(private readonly options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
  }

  /** Shows the state (throttled in plain mode). */
  public update(state: ProgressState): void {
    if (this.tty) {
      this.stream.write(`\r${progressLine(state)}`);
      return;
    }
    const now = Date.now();
    if (now - this.lastPlain < (this.options.plainIntervalSeconds ?? 5) * 1000) return;
    this.lastPlain = now;
    this.stream.write(`${progressLine(state)}\n`);
  }

  /** Shows the final state and ends the line. */
  public finish(state: ProgressState): void {
    this.stream.write(this.tty ? `\r${progressLine(state)}\n` : `${progressLine(state)}\n`);
  }
}
