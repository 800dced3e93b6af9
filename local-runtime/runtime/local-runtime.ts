/**
 * The embedded local runtime: runs a synthesized stack (a cloud assembly) without AWS and
 * without Docker. SQS on fauxqs, DynamoDB on dynalite, Lambda functions in worker threads,
 * event source mappings as pollers, schedules and rules on a controllable clock — all behind
 * one gateway that attributes, counts, authorizes and (optionally) disturbs every request.
 */
import { ManualClock, RealClock, type Clock } from '../scheduling/clock';
import type { LocalStateMachines } from '../stepfunctions';
import { buildReport, type AccountingReport } from './accounting/report';
import { RequestCounter } from './accounting/request-counter';
import type { DynamoEmulator } from './emulators/dynamodb';
import type { S3Store } from './emulators/s3';
import type { HeldMessage, SqsEmulator } from './emulators/sqs';
import { advanceSettled, settleWith, type SettleOptions } from './driver/settle';
import { AssemblyError, RuntimeConfigError } from './errors';
import type { SqsPoller } from './esm/sqs-poller';
import { FaultInjector } from './faults/fault-injector';
import type { Gateway } from './gateway/server';
import { PrincipalDirectory, type LocalCredentials } from './gateway/principals';
import type { LambdaRegistry } from './lambda/lambda-registry';
import { validateOptions, type LocalRuntimeOptions } from './options';
import { bootRuntime, type RuntimeParts } from './boot';
import { deadLetterIdentity } from './accounting/dead-letter-identity';
import type { ResourceCatalog } from './template/catalog';

export type { LocalRuntimeOptions } from './options';

/** A queue of the running stack. */
export interface LocalQueue {
  readonly logicalId: string;
  readonly name: string;
  /** Its URL at the gateway. */
  readonly url: string;
  readonly arn: string;
}

/** What {@link LocalRuntime.report} needs from the caller. */
export interface ReportInput {
  /** Items sent in. */
  readonly itemsIn: number;
  /** Items done, as the caller counts them (e.g. `runtime.countItems(table)`). */
  readonly done: number;
  /** When sending started (epoch ms, wall clock). */
  readonly startedAt: number;
  /**
   * Distinct items parked whose effect is not done, as the caller counts them (see
   * `accounting/parked.ts`: a parked copy of a done item is not a loss).
   * @default - distinct bodies in the dead-letter queues
   */
  readonly deadLettered?: number;
}

/** A running local stack. */
export class LocalRuntime {
  private constructor(private readonly parts: RuntimeParts) {}

  /**
   * Boots a stack: emulators, gateway, resources, functions, mappings, schedules.
   *
   * @throws RuntimeConfigError for bad options; AssemblyError, IntrinsicError, ProvisioningError
   *   when the assembly cannot run locally
   */
  public static async start(options: LocalRuntimeOptions): Promise<LocalRuntime> {
    validateOptions(options);
    const clock: Clock = options.clock ?? new RealClock({ timeScale: options.timeScale });
    const counter = new RequestCounter();
    const faults = new FaultInjector({ seed: options.seed, ...options.faults });
    return new LocalRuntime(await bootRuntime(options, { clock, counter, faults, principals: new PrincipalDirectory() }));
  }

  /** The gateway's origin: point an AWS SDK client's `endpoint` here. */
  public get endpoint(): string {
    return this.parts.gateway.origin;
  }

  /** The region the run pretends to be in. */
  public get region(): string {
    return this.parts.region;
  }

  /** The stack's resources, resolved. */
  public get catalog(): ResourceCatalog {
    return this.parts.catalog;
  }

  /** The gateway's request counts. */
  public get counter(): RequestCounter {
    return this.parts.counter;
  }

  /** The fault injector. */
  public get faults(): FaultInjector {
    return this.parts.faults;
  }

  /** The hosted functions. */
  public get lambdas(): LambdaRegistry {
    return this.parts.lambdas;
  }

  /** The stack's state machines: executions, `drain()`, `activeExecutions` (one service for all). */
  public get stateMachines(): LocalStateMachines {
    return this.parts.stateMachines;
  }

  /** The event source mappings' pollers. */
  public get pollers(): readonly SqsPoller[] {
    return this.parts.pollers;
  }

  /** Things of the template the run ignores or cannot emulate, one line each. */
  public get warnings(): readonly string[] {
    return this.parts.warnings;
  }

  /** The gateway (for in-process callers and tests). */
  public get gateway(): Gateway {
    return this.parts.gateway;
  }

  /**
   * The runtime clock: SQS timers, schedules, rules, Wait states and TTL sweeps run on it, and
   * every function's `Date` follows it (timers inside functions stay in wall time).
   */
  public get clock(): Clock {
    return this.parts.clock;
  }

  /** Credentials of the `driver` caller (what `npm start` and the CLI send with). */
  public driverCredentials(): LocalCredentials {
    return this.parts.principals.credentials('driver');
  }

  /** The callers the gateway knows, by access key ID (functions, state machines, driver, services). */
  public get principals(): PrincipalDirectory {
    return this.parts.principals;
  }

  /** SDK client settings for the driver: `new SQSClient(runtime.clientConfig())`. */
  public clientConfig(): { region: string; endpoint: string; credentials: LocalCredentials } {
    return { region: this.region, endpoint: this.endpoint, credentials: this.driverCredentials() };
  }

  /** A stack output's resolved value. */
  public output(name: string): string {
    return String(this.catalog.output(name));
  }

  /**
   * Finds a queue by output name (whose value is a queue URL or ARN), logical ID or physical name.
   * @throws AssemblyError naming the queues when none matches
   */
  public queue(ref: string): LocalQueue {
    const queues = this.catalog.ofType('AWS::SQS::Queue').map(([id]) => ({
      logicalId: id,
      name: this.catalog.physicalName(id),
      url: String(this.catalog.ref(id)),
      arn: String(this.catalog.getAtt(id, 'Arn')),
    }));
    const value = this.stackOutputs().get(ref) ?? ref;
    const found = queues.find((q) => [q.logicalId, q.name, q.url, q.arn].includes(value));
    if (!found) throw new AssemblyError(`no queue "${ref}"; queues: ${queues.map((q) => q.logicalId).join(', ')}; outputs: ${[...this.stackOutputs().keys()].join(', ')}`);
    return found;
  }

  /**
   * Finds a table's name by output name (whose value is the table name), logical ID or name.
   * @throws AssemblyError naming the tables when none matches
   */
  public tableName(ref: string): string {
    const tables = [...this.catalog.ofType('AWS::DynamoDB::Table'), ...this.catalog.ofType('AWS::DynamoDB::GlobalTable')].map(([id]) => ({ id, name: this.catalog.physicalName(id) }));
    const value = this.stackOutputs().get(ref) ?? ref;
    const found = tables.find((t) => t.id === value || t.name === value);
    if (!found) throw new AssemblyError(`no table "${ref}"; tables: ${tables.map((t) => t.id).join(', ')}`);
    return found.name;
  }

  /** The SQS emulator (uncounted inspection). */
  public get sqs(): SqsEmulator {
    return this.parts.sqs;
  }

  /** The DynamoDB emulator (uncounted inspection, TTL sweeps). */
  public get dynamodb(): DynamoEmulator {
    return this.parts.dynamo;
  }

  /** The S3 object store (uncounted seeding and inspection). */
  public get s3(): S3Store {
    return this.parts.s3;
  }

  /** Names of the queues that are some queue's dead-letter target. */
  public get deadLetterQueues(): readonly string[] {
    return this.parts.deadLetterQueues;
  }

  /** Every message held by a dead-letter queue, with the queue's name. */
  public async deadLetterMessages(): Promise<(HeldMessage & { queue: string })[]> {
    const all = await Promise.all(this.deadLetterQueues.map(async (q) => (await this.sqs.inspect(q)).map((m) => ({ ...m, queue: q }))));
    return all.flat();
  }

  /**
   * Dead-lettered messages of the run, counted by message: a poison record delivered twice and
   * parked twice names the same source message (`PpSourceMessageId`, see `deadLetterIdentity`),
   * so it counts once, while identical bodies sent as separate messages each count.
   */
  public async deadLetteredItems(): Promise<number> {
    return new Set((await this.deadLetterMessages()).map(deadLetterIdentity)).size;
  }

  /**
   * Whether nothing is left to do: no message in any non-DLQ queue (visible, in flight or
   * delayed), no batch being processed, no invocation running or pending, no state machine
   * execution active. (An execution parked at a Wait state and future timers wait for the
   * clock: they do not count as work left.)
   */
  public async isIdle(): Promise<boolean> {
    return (await this.busy('all', false)) === undefined;
  }

  /**
   * Waits (in wall time) until the stack has nothing left to do, checked twice in a row: no
   * batch or invocation running, no execution active (parked at a Wait is fine), and the
   * queues of `options.queues` empty. On a ManualClock, a message waiting for its visibility
   * timeout or delay to end waits for the clock, like a Wait state: it does not count as work
   * left (`advanceClock` moves the clock to it). Does not move the clock.
   *
   * @throws SettleTimeoutError naming what was still busy after `options.timeoutMs`
   */
  public async settle(options: SettleOptions = {}): Promise<void> {
    await settleWith(() => this.busy(options.queues ?? 'consumed', this.clock instanceof ManualClock), options.timeoutMs ?? 60_000);
  }

  /**
   * Moves the runtime's ManualClock forward by `ms`, timer by timer, settling the stack before
   * each due timer fires and after the last: a rule's run, the Wait loop it starts, the
   * invocations each Wait leads to, a message whose visibility timeout or delay ends (and its
   * redelivery or redrive), all happen at their own clock times within one call.
   *
   * @returns how many clock timers fired
   * @throws RuntimeConfigError when the runtime was not started with a ManualClock;
   *   SettleTimeoutError when the stack does not settle
   */
  public async advanceClock(ms: number, options: SettleOptions = {}): Promise<number> {
    const clock = this.clock;
    if (!(clock instanceof ManualClock)) throw new RuntimeConfigError(['advanceClock needs a ManualClock as options.clock']);
    return advanceSettled(clock, ms, () => this.settle(options), () => this.nextClockWait(clock.now()));
  }

  /**
   * Whether nothing runs until the clock moves (one check): no batch or invocation running, no
   * execution active, no message any queue could hand out now; messages waiting for a
   * visibility timeout or delay, and batches in a batching window, wait for the clock.
   */
  public async waitsForClock(): Promise<boolean> {
    return (await this.busy('all', true)) === undefined;
  }

  /**
   * When the clock must next be for something to move by itself: the earliest clock timer
   * (schedules, Wait states, TTL sweeps), SQS message becoming visible, or batching window
   * closing; undefined when nothing waits. For a {@link ManualClock}; other clocks say undefined.
   */
  public async nextDueAt(): Promise<number | undefined> {
    const clock = this.clock;
    if (!(clock instanceof ManualClock)) return undefined;
    const times = [clock.nextTimerAt(), await this.nextClockWait(clock.now())].filter((t): t is number => t !== undefined);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** The accounting report of the run so far. */
  public async report(input: ReportInput): Promise<AccountingReport> {
    return buildReport({
      itemsIn: input.itemsIn,
      done: input.done,
      deadLettered: input.deadLettered ?? (await this.deadLetteredItems()),
      rows: this.counter.rowsSnapshot(),
      faults: this.faults.stats(),
      elapsedMs: Date.now() - input.startedAt,
      functions: this.lambdas.hosts().map((h) => h.stats.snapshot()),
    });
  }

  /** Stops pollers, schedules, functions, emulators and the gateway. */
  public async stop(): Promise<void> {
    await this.parts.shutdown();
  }

  /**
   * What is still busy (the first thing found), or undefined.
   *
   * @param queues which queues must be empty
   * @param clockWaits whether messages waiting for a visibility timeout or delay to end, and
   *   batches gathering in a batching window, wait for the clock (a ManualClock) rather than
   *   count as busy
   */
  private async busy(queues: 'consumed' | 'all', clockWaits: boolean): Promise<string | undefined> {
    // On a manual clock, a batch gathering in a batching window the clock has not reached waits for it.
    const polling = this.pollers.find((p) => p.inProgress - (clockWaits ? p.gatheringAfter(this.clock.now()) : 0) > 0);
    if (polling) return `mapping ${polling.spec.logicalId} is processing a batch`;
    if (this.lambdas.pendingAsyncInvocations > 0) return `${this.lambdas.pendingAsyncInvocations} Event invocations are pending`;
    const running = this.lambdas.hosts().find((h) => h.busy > 0);
    if (running) return `function ${running.spec.name} is running`;
    if (this.stateMachines.activeExecutions > 0) return `${this.stateMachines.activeExecutions} state machine executions are active`;
    const dlqs = new Set(this.deadLetterQueues);
    const consumed = new Set(this.pollers.map((p) => p.spec.queueArn.split(':').pop()));
    for (const name of this.allQueueNames().filter((n) => !dlqs.has(n) && (queues === 'all' || consumed.has(n)))) {
      if (clockWaits) {
        const receivable = await this.sqs.receivableAt(name, this.clock.now());
        if (receivable > 0) return `queue ${name} holds ${receivable} receivable messages`;
        continue;
      }
      const d = await this.sqs.depth(name);
      if (d.visible + d.inFlight + d.delayed > 0) return `queue ${name} holds ${d.visible + d.inFlight + d.delayed} messages`;
    }
    return undefined;
  }

  /**
   * The next time after `now` at which something that keeps its own deadline on the clock moves
   * by itself: an SQS message becoming visible, a mapping's batching window closing.
   */
  private async nextClockWait(now: number): Promise<number | undefined> {
    const times = [await this.sqs.nextVisibleAt(this.allQueueNames(), now), ...this.pollers.map((p) => p.windowClosingAfter(now))];
    const defined = times.filter((t): t is number => t !== undefined);
    return defined.length > 0 ? Math.min(...defined) : undefined;
  }

  /** The template's queues and those created at run time. */
  private allQueueNames(): string[] {
    return [...this.parts.queueNames, ...this.sqs.runtimeQueues];
  }

  private stackOutputs(): Map<string, string> {
    const outputs = this.catalog.stack.template.Outputs ?? {};
    return new Map(Object.keys(outputs).map((name) => [name, this.output(name)]));
  }
}
