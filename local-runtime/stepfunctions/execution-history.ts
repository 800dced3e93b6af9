/**
 * The event history of one execution, as GetExecutionHistory reports it: ExecutionStarted,
 * `<Type>StateEntered`/`Exited` from the library's event log, LambdaFunction* events for
 * Tasks whose Resource is a function ARN and Task* events for optimized integrations, map
 * iterations, and the terminal Execution* event — each with an `id` and the
 * `previousEventId` it follows, timestamped on the runtime's clock.
 *
 * The library's log is read asynchronously while its handlers are called synchronously, so a
 * Task's events wait until the log has reached the entry (or retry) of their state: the k-th
 * call of a state's handler belongs after the k-th StateEntered/StateRetried of that state.
 */
import type { Clock } from '../scheduling/clock';
import type { TaskKind } from './definition';
import type { ExecutionRecord } from './executions';
import type { TaskHandler } from './task-handlers';

/** One history event in the AWS shape (dates in epoch ms; the adapter converts). */
export interface HistoryEvent {
  readonly timestamp: number;
  readonly type: string;
  readonly id: number;
  readonly previousEventId: number;
  readonly [details: string]: unknown;
}

/** The library's events the history is made from. */
interface LibraryEvent {
  readonly type: string;
  readonly state?: { readonly name: string; readonly type: string; readonly input?: unknown; readonly output?: unknown };
  readonly parentState?: { readonly name: string };
  readonly index?: number;
  readonly Error?: string;
  readonly Cause?: unknown;
}

const json = (value: unknown) => JSON.stringify(value ?? null);
const TERMINAL: Record<string, [string, string]> = {
  SUCCEEDED: ['ExecutionSucceeded', 'executionSucceededEventDetails'],
  FAILED: ['ExecutionFailed', 'executionFailedEventDetails'],
  TIMED_OUT: ['ExecutionTimedOut', 'executionTimedOutEventDetails'],
  ABORTED: ['ExecutionAborted', 'executionAbortedEventDetails'],
};

/** Records one execution's history. */
export class ExecutionHistory {
  private readonly list: HistoryEvent[] = [];
  private readonly lastOfState = new Map<string, number>();
  /** StateEntered/StateRetried events read so far, per state name. */
  private readonly reached = new Map<string, number>();
  private readonly calls = new Map<string, number>();
  private waiters: { readonly state: string; readonly count: number; readonly resume: () => void }[] = [];
  private closed = false;

  /**
   * @param clock timestamps events
   * @param tasks how each Task state is served (Waits and Distributed Maps are rewritten to Tasks)
   * @param region named in TaskScheduled events
   */
  constructor(private readonly clock: Clock, private readonly tasks: ReadonlyMap<string, TaskKind>, private readonly region: string) {}

  /** The events so far, oldest first. */
  public get events(): readonly HistoryEvent[] {
    return this.list;
  }

  /** Records ExecutionStarted. */
  public started(input: string, roleArn: string | undefined): void {
    this.add('ExecutionStarted', undefined, { executionStartedEventDetails: { input, inputDetails: { truncated: false }, ...(roleArn ? { roleArn } : {}) } });
  }

  /** Records the terminal event of a finished execution (once). */
  public finished(record: ExecutionRecord): void {
    const terminal = TERMINAL[record.status];
    if (!terminal || this.list.some((e) => e.type === terminal[0])) return;
    const details = record.status === 'SUCCEEDED' ? { output: record.output ?? 'null', outputDetails: { truncated: false } } : { error: record.error, cause: record.cause };
    this.add(terminal[0], undefined, { [terminal[1]]: details });
  }

  /** Passes the library's event log through, recording each event. */
  public async *follow<E extends LibraryEvent>(events: AsyncIterable<E>): AsyncIterable<E> {
    try {
      for await (const event of events) {
        this.onLibraryEvent(event);
        yield event;
      }
    } finally {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w.resume();
    }
  }

  /** Wraps the handlers of Lambda and integration Tasks so their calls are recorded. */
  public trace(handlers: Record<string, TaskHandler>): Record<string, TaskHandler> {
    return Object.fromEntries(Object.entries(handlers).map(([state, handler]) => {
      const kind = this.tasks.get(state);
      if (kind?.kind !== 'lambda-arn' && kind?.kind !== 'lambda-invoke' && kind?.kind !== 'service') return [state, handler];
      return [state, async (input: unknown) => {
        await this.reach(state);
        const [prefix, resource] = kind.kind === 'lambda-arn' ? ['LambdaFunction', { resource: kind.functionArn }] : ['Task', integrationOf(kind.kind === 'service' ? kind.resource : 'arn:aws:states:::lambda:invoke')];
        const detailKey = (event: string) => `${prefix.charAt(0).toLowerCase()}${prefix.slice(1)}${event}EventDetails`;
        const scheduled = prefix === 'Task' ? { ...resource, region: this.region, parameters: json(input) } : { ...resource, input: json(input), inputDetails: { truncated: false } };
        this.add(`${prefix}Scheduled`, state, { [detailKey('Scheduled')]: scheduled });
        this.add(`${prefix}Started`, state, prefix === 'Task' ? { taskStartedEventDetails: resource } : {});
        try {
          const output = await handler(input);
          this.add(`${prefix}Succeeded`, state, { [detailKey('Succeeded')]: { ...(prefix === 'Task' ? resource : {}), output: json(output), outputDetails: { truncated: false } } });
          return output;
        } catch (err) {
          const e = err as { name?: string; message?: string };
          this.add(`${prefix}Failed`, state, { [detailKey('Failed')]: { ...(prefix === 'Task' ? resource : {}), error: e.name ?? 'Error', cause: e.message ?? String(err) } });
          throw err;
        }
      }];
    }));
  }

  /** Resolves once the log has reached the entry or retry this call of `state`'s handler belongs to. */
  private reach(state: string): Promise<void> {
    const count = (this.calls.get(state) ?? 0) + 1;
    this.calls.set(state, count);
    if (this.closed || (this.reached.get(state) ?? 0) >= count) return Promise.resolve();
    return new Promise((resume) => this.waiters.push({ state, count, resume }));
  }

  private onLibraryEvent(event: LibraryEvent): void {
    const state = event.state;
    if (state && (event.type === 'StateEntered' || event.type === 'StateExited')) {
      const type = this.stateType(state.name, state.type);
      if (event.type === 'StateEntered') {
        this.add(`${type}StateEntered`, undefined, { stateEnteredEventDetails: { name: state.name, input: json(state.input), inputDetails: { truncated: false } } });
        this.lastOfState.set(state.name, this.list.length);
      } else {
        this.add(`${type}StateExited`, state.name, { stateExitedEventDetails: { name: state.name, output: json(state.output), outputDetails: { truncated: false } } });
      }
    } else if (event.parentState && event.type.startsWith('MapIteration')) {
      const failed = event.type === 'MapIterationFailed' ? { error: event.Error, cause: typeof event.Cause === 'string' ? event.Cause : json(event.Cause) } : {};
      this.add(event.type, event.parentState.name, { [`${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`]: { name: event.parentState.name, index: event.index, ...failed } });
    }
    if (state && (event.type === 'StateEntered' || event.type === 'StateRetried')) {
      this.reached.set(state.name, (this.reached.get(state.name) ?? 0) + 1);
      const ready = this.waiters.filter((w) => w.state === state.name && w.count <= this.reached.get(state.name)!);
      this.waiters = this.waiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resume();
    }
  }

  /** The state's type as written: Waits and Distributed Maps run as rewritten Tasks. */
  private stateType(name: string, libraryType: string): string {
    const kind = this.tasks.get(name)?.kind;
    if (kind === 'wait') return 'Wait';
    if (kind === 'distributed-map') return 'Map';
    return libraryType;
  }

  private add(type: string, state: string | undefined, details: Record<string, unknown>): void {
    const id = this.list.length + 1;
    const previousEventId = state === undefined ? this.list.length : (this.lastOfState.get(state) ?? this.list.length);
    this.list.push({ timestamp: this.clock.now(), type, id, previousEventId, ...details });
    if (state !== undefined) this.lastOfState.set(state, id);
  }
}

/** `arn:aws:states:::sqs:sendMessage` → resourceType `sqs`, resource `sendMessage`. */
function integrationOf(resource: string): { resourceType: string; resource: string } {
  const [service = '', ...action] = resource.replace(/^arn:aws[\w-]*:states:::/, '').replace(/^aws-sdk:/, '').split(':');
  return { resourceType: service, resource: action.join(':') };
}
