/**
 * Step Functions' read operations tools call: ListStateMachines, DescribeStateMachine and
 * GetExecutionHistory (paged by `nextToken`/`maxResults`, newest first with `reverseOrder`).
 */
import { AwsServiceError } from '../scheduling/errors';
import { epochSeconds, pageOf } from '../scheduling/protocol';
import type { HistoryEvent } from './execution-history';

/** A registered state machine as DescribeStateMachine describes it. */
export interface StateMachineDescription {
  readonly arn: string;
  readonly name: string;
  /** The definition as registered (JSON text or object). */
  readonly definition: string | object;
  readonly roleArn?: string;
  /** @default 'STANDARD' */
  readonly type?: string;
  /** Epoch ms. */
  readonly creationDate: number;
}

/** The state machines ListStateMachines lists. */
export class StateMachineDescriptions {
  private readonly byArn = new Map<string, StateMachineDescription>();

  /** Adds (or replaces) a machine. */
  public add(description: StateMachineDescription): void {
    this.byArn.set(description.arn, description);
  }

  /** Every machine, by name. */
  public list(): StateMachineDescription[] {
    return [...this.byArn.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** One machine; throws StateMachineDoesNotExist. */
  public get(arn: string): StateMachineDescription {
    const found = this.byArn.get(arn);
    if (!found) throw new AwsServiceError('StateMachineDoesNotExist', 400, `State Machine Does Not Exist: '${arn}'`);
    return found;
  }
}

/** What the operations read. */
export interface ReadSource {
  readonly descriptions: StateMachineDescriptions;
  executionHistory(executionArn: string): readonly HistoryEvent[];
}

type Input = Record<string, unknown>;

function arn(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || !value.startsWith('arn:')) throw new AwsServiceError('InvalidArn', 400, `Invalid Arn: '${String(value)}'`);
  return value;
}

/** Page sizes AWS accepts: 0 (its default) to 1000. */
function maxResults(input: Input): number | undefined {
  const n = input.maxResults;
  if (n === undefined || n === 0) return undefined;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 1000) {
    throw new AwsServiceError('ValidationException', 400, `1 validation error detected: Value '${String(n)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  }
  return n;
}

function token(input: Input): string | undefined {
  const t = input.nextToken;
  if (t !== undefined && (typeof t !== 'string' || !/^\d+$/.test(t))) throw new AwsServiceError('InvalidToken', 400, `Invalid Token: '${String(t)}'`);
  return t;
}

function definitionText(definition: string | object): string {
  return typeof definition === 'string' ? definition : JSON.stringify(definition);
}

const DATA_FIELDS = new Set(['input', 'inputDetails', 'output', 'outputDetails', 'parameters']);

/** An event without its input and output (`includeExecutionData: false`). */
function withoutData(event: HistoryEvent): HistoryEvent {
  const strip = (value: unknown) => (value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([k]) => !DATA_FIELDS.has(k))) : value);
  return Object.fromEntries(Object.entries(event).map(([k, v]) => [k, k.endsWith('EventDetails') ? strip(v) : v])) as HistoryEvent;
}

/** The operations, for the JSON 1.0 adapter. */
export function readOperations(source: ReadSource): Record<string, (input: Input) => unknown> {
  return {
    ListStateMachines: (i) => {
      const { page, next } = pageOf(source.descriptions.list(), maxResults(i), token(i), 100);
      return { stateMachines: page.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type ?? 'STANDARD', creationDate: epochSeconds(m.creationDate) })), nextToken: next };
    },
    DescribeStateMachine: (i) => {
      const m = source.descriptions.get(arn(i, 'stateMachineArn'));
      return {
        stateMachineArn: m.arn,
        name: m.name,
        status: 'ACTIVE',
        definition: definitionText(m.definition),
        roleArn: m.roleArn ?? '',
        type: m.type ?? 'STANDARD',
        creationDate: epochSeconds(m.creationDate),
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      };
    },
    GetExecutionHistory: (i) => {
      const events = [...source.executionHistory(arn(i, 'executionArn'))];
      if (i.reverseOrder === true) events.reverse();
      const { page, next } = pageOf(events, maxResults(i), token(i), 100);
      const shown = i.includeExecutionData === false ? page.map(withoutData) : page;
      return { events: shown.map((e) => ({ ...e, timestamp: epochSeconds(e.timestamp) })), nextToken: next };
    },
  };
}
