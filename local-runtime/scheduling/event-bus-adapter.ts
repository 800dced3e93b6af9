/**
 * EventBridge's JSON 1.1 protocol (`X-Amz-Target: AWSEvents.<Operation>`) over a
 * {@link LocalEventBridge}.
 */
import type { LocalEventBridge } from './event-bus';
import type { PutEventsEntry, RuleInput, RuleTarget } from './event-rules';
import { pageOf, serveAwsJson, type WireRequest, type WireResponse } from './protocol';

type Input = Record<string, unknown>;

function entriesOf(input: Input): PutEventsEntry[] {
  const entries = Array.isArray(input.Entries) ? (input.Entries as Input[]) : [];
  // The JSON protocols send timestamps as epoch seconds.
  return entries.map((e) => ({ ...e, Time: typeof e.Time === 'number' ? e.Time * 1000 : undefined }) as PutEventsEntry);
}

/** A rule as DescribeRule and ListRules show it: the pattern as JSON text, state and bus filled in. */
function ruleView(arn: string, input: RuleInput): Input {
  const pattern = typeof input.EventPattern === 'object' ? JSON.stringify(input.EventPattern) : input.EventPattern;
  const { EventBusName, ...rest } = input;
  return { ...rest, Arn: arn, EventPattern: pattern, State: input.State ?? 'ENABLED', EventBusName: EventBusName?.replace(/^arn:.*:event-bus\//, '') ?? 'default' };
}

function operations(bus: LocalEventBridge) {
  const busName = (i: Input) => i.EventBusName as string | undefined;
  return {
    PutEvents: (i: Input) => bus.putEvents(entriesOf(i)),
    PutRule: (i: Input) => bus.putRule(i as unknown as RuleInput),
    PutTargets: (i: Input) => {
      bus.putTargets(String(i.Rule), (i.Targets ?? []) as RuleTarget[], busName(i));
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    RemoveTargets: (i: Input) => {
      bus.removeTargets(String(i.Rule), (i.Ids ?? []) as string[], busName(i));
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    DeleteRule: (i: Input) => {
      bus.deleteRule(String(i.Name), busName(i));
      return {};
    },
    DescribeRule: (i: Input) => {
      const { arn, input } = bus.describeRule(String(i.Name), busName(i));
      return ruleView(arn, input);
    },
    ListRules: (i: Input) => {
      const rules = bus.listRules(busName(i), typeof i.NamePrefix === 'string' ? i.NamePrefix : '');
      const { page, next } = pageOf(rules, i.Limit, i.NextToken, 100);
      return { Rules: page.map((r) => ruleView(r.arn, r.input)), NextToken: next };
    },
    ListTargetsByRule: (i: Input) => {
      const { targets } = bus.describeRule(String(i.Rule), busName(i));
      const { page, next } = pageOf(targets, i.Limit, i.NextToken, 100);
      return { Targets: page, NextToken: next };
    },
  };
}

/** Serves one EventBridge JSON 1.1 request against `bus`. */
export function handleEventBridgeRequest(bus: LocalEventBridge, req: WireRequest): Promise<WireResponse> {
  return serveAwsJson(req, '1.1', 'AWSEvents', operations(bus));
}
