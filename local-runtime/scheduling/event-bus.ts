/**
 * A local EventBridge: event buses with pattern rules (PutEvents → matching rules' targets)
 * and scheduled rules (timers on the injected {@link Clock}), delivering through the
 * runtime's {@link DeliverFn}.
 */
import type { Clock, TimerHandle } from './clock';
import { type DeliverFn, type DeliveryDetails, type LocalAccount, resolveAccount } from './delivery';
import { AwsServiceError, notFoundError, validationError } from './errors';
import { matchesEventPattern } from './event-pattern';
import { handleEventBridgeRequest } from './event-bus-adapter';
import { buildEvent, buildRule, busNameOf, type PutEventsEntry, type Rule, type RuleInput, type RuleTarget, scheduledEvent } from './event-rules';
import type { WireRequest, WireResponse } from './protocol';
import { nextFireTime } from './schedule-expression';
import { renderTargetInput } from './target-input';

export type { PutEventsEntry, RuleInput, RuleTarget } from './event-rules';

/** Options of {@link LocalEventBridge}. */
export interface LocalEventBridgeOptions extends LocalAccount {
  /** The clock scheduled rules run on and events are stamped with. */
  readonly clock: Clock;
  /** Delivers a rule target's input. */
  readonly deliver: DeliverFn;
  /**
   * Told about a delivery that failed (after its DLQ, if any, got the input).
   * @default - the failure is dropped, as AWS drops it when no DLQ is configured
   */
  readonly onDeliveryError?: (error: unknown, ruleArn: string, target: RuleTarget) => void;
}

/** One PutEvents result entry: an event id or an error. */
export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** EventBridge, in process: PutEvents, PutRule, PutTargets, RemoveTargets, DeleteRule plus `handle`. */
export class LocalEventBridge {
  private readonly rules = new Map<string, Rule>();
  private readonly timers = new Map<string, TimerHandle>();
  private readonly buses = new Set(['default']);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly account: Required<LocalAccount>;

  /** @param options clock, delivery callback, account */
  constructor(private readonly options: LocalEventBridgeOptions) {
    this.account = resolveAccount(options);
  }

  /** Creates a custom event bus (AWS::Events::EventBus). Idempotent. */
  public createEventBus(name: string): string {
    this.buses.add(name);
    return this.busArn(name);
  }

  /** PutRule: creates or replaces a rule (its targets are kept). */
  public putRule(input: RuleInput): { RuleArn: string } {
    const bus = this.mustBus(input.EventBusName);
    const key = `${bus}/${input.Name}`;
    const arn = `arn:aws:events:${this.account.region}:${this.account.accountId}:rule/${bus === 'default' ? '' : `${bus}/`}${input.Name}`;
    const rule = buildRule(input, arn);
    const previous = this.rules.get(key);
    previous?.targets.forEach((t, id) => rule.targets.set(id, t));
    this.stopTimer(key);
    this.rules.set(key, rule);
    if (rule.schedule && rule.enabled) this.armSchedule(key, rule, this.options.clock.now());
    return { RuleArn: arn };
  }

  /** PutTargets: adds or replaces targets by Id. */
  public putTargets(ruleName: string, targets: readonly RuleTarget[], eventBusName?: string): void {
    const rule = this.mustRule(ruleName, eventBusName);
    const bad = targets.filter((t) => typeof t.Id !== 'string' || typeof t.Arn !== 'string' || !t.Arn.startsWith('arn:'));
    if (bad.length > 0) throw validationError(`every target needs an Id and an ARN, got ${JSON.stringify(bad)}`);
    for (const t of targets) rule.targets.set(t.Id, t);
  }

  /** RemoveTargets by Id. */
  public removeTargets(ruleName: string, ids: readonly string[], eventBusName?: string): void {
    const rule = this.mustRule(ruleName, eventBusName);
    for (const id of ids) rule.targets.delete(id);
  }

  /** DeleteRule. */
  public deleteRule(ruleName: string, eventBusName?: string): void {
    const bus = busNameOf(eventBusName);
    this.stopTimer(`${bus}/${ruleName}`);
    this.rules.delete(`${bus}/${ruleName}`);
  }

  /** DescribeRule (in the local model). Throws ResourceNotFoundException. */
  public describeRule(ruleName: string, eventBusName?: string): { arn: string; enabled: boolean; input: RuleInput; targets: RuleTarget[] } {
    const rule = this.mustRule(ruleName, eventBusName);
    return { arn: rule.arn, enabled: rule.enabled, input: rule.input, targets: [...rule.targets.values()] };
  }

  /** ListRules: the rules of one bus whose names start with `prefix`, by name. Throws ResourceNotFoundException for an unknown bus. */
  public listRules(eventBusName?: string, prefix = ''): { arn: string; input: RuleInput }[] {
    const bus = this.mustBus(eventBusName);
    const rules = [...this.rules.values()].filter((r) => r.busName === bus && r.name.startsWith(prefix));
    return rules.sort((a, b) => (a.name < b.name ? -1 : 1)).map((r) => ({ arn: r.arn, input: r.input }));
  }

  /**
   * PutEvents: accepts up to 10 entries; each accepted event is delivered, asynchronously as
   * on AWS, to the targets of every enabled rule on its bus whose pattern matches.
   * Await {@link drain} to wait for those deliveries.
   */
  public putEvents(entries: readonly PutEventsEntry[]): { FailedEntryCount: number; Entries: PutEventsResultEntry[] } {
    if (entries.length < 1 || entries.length > 10) throw validationError(`Entries must hold 1-10 events, got ${entries.length}`);
    const results = entries.map((entry) => this.acceptEvent(entry));
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  /** Resolves when every delivery started by PutEvents so far (and any they caused) is done. */
  public async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Serves the EventBridge JSON 1.1 protocol (what `@aws-sdk/client-eventbridge` sends). */
  public handle(req: WireRequest): Promise<WireResponse> {
    return handleEventBridgeRequest(this, req);
  }

  /** Cancels every scheduled-rule timer (shutdown). */
  public dispose(): void {
    for (const key of [...this.timers.keys()]) this.stopTimer(key);
  }

  private acceptEvent(entry: PutEventsEntry): PutEventsResultEntry {
    try {
      const bus = busNameOf(entry.EventBusName);
      if (!this.buses.has(bus)) throw notFoundError(`Event bus ${bus} does not exist.`);
      const event = buildEvent(entry, this.options.clock.now(), this.account);
      const matching = [...this.rules.values()].filter((r) => r.busName === bus && r.enabled && r.pattern && matchesEventPattern(r.pattern, event));
      for (const rule of matching) this.track(this.deliverToTargets(rule, event));
      return { EventId: event.id as string };
    } catch (err) {
      const e = err instanceof AwsServiceError ? err : new AwsServiceError('InternalException', 500, String(err));
      return { ErrorCode: e.code, ErrorMessage: e.message };
    }
  }

  private track(work: Promise<void>): void {
    const p = work.finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async deliverToTargets(rule: Rule, event: Record<string, unknown>, scheduledTime?: number): Promise<void> {
    // Take a snapshot so a target removed mid-delivery does not skip its siblings.
    await Promise.all([...rule.targets.values()].map((target) => this.deliverOne(rule, target, event, scheduledTime)));
  }

  private async deliverOne(rule: Rule, target: RuleTarget, event: Record<string, unknown>, scheduledTime?: number): Promise<void> {
    const details: DeliveryDetails = { source: 'events', sourceArn: rule.arn, messageGroupId: target.SqsParameters?.MessageGroupId, scheduledTime };
    let input = '';
    try {
      input = renderTargetInput(target, event, { ruleArn: rule.arn, ruleName: rule.name });
      await this.options.deliver(target.Arn, input, target.RoleArn, details);
    } catch (err) {
      const dlq = target.DeadLetterConfig?.Arn;
      if (dlq) await this.options.deliver(dlq, input || JSON.stringify(event), undefined, { ...details, messageGroupId: undefined }).catch(() => undefined);
      this.options.onDeliveryError?.(err, rule.arn, target);
    }
  }

  private armSchedule(key: string, rule: Rule, after: number): void {
    const due = rule.schedule && nextFireTime(rule.schedule, after, after);
    if (due === undefined) return;
    const handle = this.options.clock.setTimer(due, async () => {
      this.timers.delete(key);
      if (this.rules.get(key) !== rule) return;
      this.armSchedule(key, rule, due);
      await this.deliverToTargets(rule, scheduledEvent(rule.arn, due, this.account), due);
    });
    this.timers.set(key, handle);
  }

  private stopTimer(key: string): void {
    const handle = this.timers.get(key);
    if (handle) this.options.clock.cancel(handle);
    this.timers.delete(key);
  }

  private mustBus(nameOrArn: string | undefined): string {
    const bus = busNameOf(nameOrArn);
    if (!this.buses.has(bus)) throw notFoundError(`Event bus ${bus} does not exist.`);
    return bus;
  }

  private mustRule(ruleName: string, eventBusName: string | undefined): Rule {
    const rule = this.rules.get(`${busNameOf(eventBusName)}/${ruleName}`);
    if (!rule) throw notFoundError(`Rule ${ruleName} does not exist on EventBus ${busNameOf(eventBusName)}.`);
    return rule;
  }

  private busArn(name: string): string {
    return `arn:aws:events:${this.account.region}:${this.account.accountId}:event-bus/${name}`;
  }
}
