/**
 * State transitions, counted per execution as Step Functions bills them: every state entered
 * (inline Map iterations and Parallel branches included, in the execution that runs them) and
 * every retry of a state. A Distributed Map's children are executions of their own and are
 * counted there.
 */

/** The library events the count is made from. */
interface LibraryEvent {
  readonly type: string;
}

/** Per-execution transition counts. */
export class TransitionCounter {
  private readonly counts = new Map<string, number>();

  /** Counts the events of one execution as they come; resolves when its log closes. */
  public async follow(executionArn: string, events: AsyncIterable<LibraryEvent>): Promise<void> {
    this.counts.set(executionArn, this.counts.get(executionArn) ?? 0);
    for await (const event of events) {
      if (event.type === 'StateEntered' || event.type === 'StateRetried') this.counts.set(executionArn, (this.counts.get(executionArn) ?? 0) + 1);
    }
  }

  /** The transitions of one execution so far (0 when unknown). */
  public of(executionArn: string): number {
    return this.counts.get(executionArn) ?? 0;
  }

  /** The transitions of every execution whose ARN passes `filter`. */
  public total(filter: (executionArn: string) => boolean = () => true): number {
    let sum = 0;
    for (const [arn, n] of this.counts) if (filter(arn)) sum += n;
    return sum;
  }
}
