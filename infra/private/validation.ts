import { Duration, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Collects every props violation of one construct, then throws them all at once.
 *
 * Modelled on aws-sqs `validate-queue-props`: a user who gets three things wrong should learn
 * about all three from one synth, not fix them one run at a time. Each message names the
 * prop, the allowed range and the value received. Values that are unresolved tokens
 * (`Token.isUnresolved`) are skipped, because their value is only known at deploy time.
 *
 * @example
 * const v = new PropsValidator('WorkQueue', this);
 * v.integerInRange('batchSize', props.batchSize, 1, 10_000);
 * v.durationInRange('timeout', props.timeout, 1, 900);
 * v.exclusive('queue', props.queue, 'maxReceiveCount', props.maxReceiveCount);
 * v.throwIfInvalid();
 */
export class PropsValidator {
  private readonly violations: string[] = [];

  /**
   * @param constructName the construct's class name, quoted at the head of the error message
   * @param scope the construct whose props are checked: its path heads the message, so a user
   *   with several instances (or a chain's stages) knows which one is wrong; omit it only when
   *   `constructName` already names the path (`FanOutFanIn at App/Stack/Fan`)
   */
  constructor(private readonly constructName: string, private readonly scope?: IConstruct) {}

  /**
   * Checks that `value` is an integer in `[min, max]`. `undefined` and tokens pass.
   *
   * @param prop the prop's name as the user wrote it
   * @param value the value received
   * @param min the smallest allowed value (inclusive)
   * @param max the largest allowed value (inclusive)
   */
  integerInRange(prop: string, value: number | undefined, min: number, max: number): this {
    if (value === undefined || Token.isUnresolved(value)) return this;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.add(`${prop} must be an integer between ${min} and ${max}, received ${value}`);
    }
    return this;
  }

  /**
   * Checks that a `Duration` lies in `[minSeconds, maxSeconds]`. `undefined` and durations
   * holding an unresolved token pass.
   *
   * Compared in milliseconds so that sub-second durations (e.g. 500 ms against a 1 s minimum)
   * are caught instead of failing inside `toSeconds()`.
   *
   * @param prop the prop's name as the user wrote it
   * @param duration the value received
   * @param minSeconds the shortest allowed duration in seconds (inclusive)
   * @param maxSeconds the longest allowed duration in seconds (inclusive)
   */
  durationInRange(prop: string, duration: Duration | undefined, minSeconds: number, maxSeconds: number): this {
    if (duration === undefined || duration.isUnresolved()) return this;
    const ms = duration.toMilliseconds();
    if (ms < minSeconds * 1000 || ms > maxSeconds * 1000) {
      this.add(
        `${prop} must be between ${formatSeconds(minSeconds)} and ${formatSeconds(maxSeconds)}, ` +
          `received ${duration.toHumanString()}`,
      );
    }
    return this;
  }

  /**
   * Records `message` (prefixed with the prop name) when `condition` is false.
   *
   * For rules that depend on several props (e.g. "batchSize > 10 requires a batching window"):
   * the caller evaluates the rule, and should include the values received in `message`.
   *
   * @param condition true when the props are valid
   * @param prop the prop the user should change
   * @param message what is wrong, with the allowed range and the value received
   */
  require(condition: boolean, prop: string, message: string): this {
    if (!condition) this.add(`${prop} ${message}`);
    return this;
  }

  /**
   * Bring-your-own versus created: records a violation when both `a` and `b` are given.
   *
   * Use it as `exclusive('queue', props.queue, 'maxReceiveCount', props.maxReceiveCount)`:
   * the props shaping a created resource make no sense next to a resource the user brings.
   *
   * @param propA the first prop's name (usually the bring-your-own resource)
   * @param a its value
   * @param propB the second prop's name
   * @param b its value
   */
  exclusive(propA: string, a: unknown, propB: string, b: unknown): this {
    if (a !== undefined && b !== undefined) {
      this.add(`${propA} and ${propB} are mutually exclusive: pass one or the other, received both`);
    }
    return this;
  }

  /**
   * Exactly one of two props must be given (e.g. a handler `entry` file or an existing `handler`).
   *
   * @param propA the first prop's name
   * @param a its value
   * @param propB the second prop's name
   * @param b its value
   */
  exactlyOne(propA: string, a: unknown, propB: string, b: unknown): this {
    const given = (a !== undefined ? 1 : 0) + (b !== undefined ? 1 : 0);
    if (given !== 1) {
      this.add(`exactly one of ${propA} or ${propB} must be given, received ${given === 0 ? 'neither' : 'both'}`);
    }
    return this;
  }

  /** The violations recorded so far, in the order they were found. */
  get errors(): readonly string[] {
    return this.violations;
  }

  /** Throws one `Error` listing every violation, one per line; does nothing when there are none. */
  throwIfInvalid(): void {
    if (this.violations.length === 0) return;
    const list = this.violations.map((v) => `  - ${v}`).join('\n');
    const head = this.scope ? `${this.constructName} at ${this.scope.node.path}` : this.constructName;
    throw new Error(`${head}: invalid props (${this.violations.length}):\n${list}`);
  }

  private add(message: string): void {
    this.violations.push(message);
  }
}

/** Renders a bound in seconds the way AWS documents it (`300 seconds`, `12 hours`, `14 days`). */
function formatSeconds(seconds: number): string {
  if (seconds >= 86_400 && seconds % 86_400 === 0) return `${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`;
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`;
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}
