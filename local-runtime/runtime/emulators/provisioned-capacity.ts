/**
 * Provisioned capacity for the template's `PROVISIONED` tables: a token bucket per table and
 * direction (reads, writes) on the runtime's clock, refilled at the provisioned units per
 * second and holding up to 300 seconds of unused capacity (DynamoDB's burst capacity). A
 * request to a table whose bucket is empty gets `ProvisionedThroughputExceededException`,
 * as on AWS; a served one is charged the capacity units dynalite reports for it.
 */
import type { Clock } from '../../scheduling/clock';
import { errorResponse } from '../gateway/error-shapes';
import type { BackendRequest, ServiceBackend } from '../gateway/server';
import type { ResourceCatalog } from '../template/catalog';

/** Seconds of unused capacity a table keeps for bursts. */
const BURST_SECONDS = 300;

/** One table's provisioned units per second. */
export interface CapacitySpec {
  readonly table: string;
  readonly readUnits: number;
  readonly writeUnits: number;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);

/** The template's `AWS::DynamoDB::Table`s with `BillingMode: PROVISIONED` (the default when ProvisionedThroughput is set). */
export function capacitySpecs(catalog: ResourceCatalog): CapacitySpec[] {
  return catalog.ofType('AWS::DynamoDB::Table').flatMap(([id]) => {
    const props = catalog.properties(id);
    const throughput = props.ProvisionedThroughput as { ReadCapacityUnits?: unknown; WriteCapacityUnits?: unknown } | undefined;
    if (props.BillingMode === 'PAY_PER_REQUEST' || !throughput) return [];
    return [{ table: catalog.physicalName(id), readUnits: Number(throughput.ReadCapacityUnits), writeUnits: Number(throughput.WriteCapacityUnits) }];
  });
}

class Bucket {
  private tokens: number;
  private at: number;

  constructor(private readonly perSecond: number, private readonly clock: Clock) {
    this.tokens = perSecond * BURST_SECONDS;
    this.at = clock.now();
  }

  /** The units available now (negative while a large request's debt is paid back). */
  public available(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.perSecond * BURST_SECONDS, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    return this.tokens;
  }

  public charge(units: number): void {
    this.available();
    this.tokens -= units;
  }
}

type Input = Record<string, unknown>;

/** The tables a request touches. */
function tablesOf(operation: string, input: Input): string[] {
  if (operation === 'BatchWriteItem' || operation === 'BatchGetItem') return Object.keys((input.RequestItems ?? {}) as Input);
  return typeof input.TableName === 'string' ? [input.TableName] : [];
}

/** Throttles and charges the provisioned tables' requests. */
export class CapacityLimiter {
  private readonly buckets = new Map<string, { read: Bucket; write: Bucket }>();

  /**
   * @param specs the provisioned tables
   * @param clock the runtime's clock (buckets refill as it moves)
   */
  constructor(specs: readonly CapacitySpec[], clock: Clock) {
    for (const s of specs) this.buckets.set(s.table, { read: new Bucket(s.readUnits, clock), write: new Bucket(s.writeUnits, clock) });
  }

  /** Wraps the DynamoDB backend: refuses requests to exhausted tables, charges the others. */
  public wrap(backend: ServiceBackend): ServiceBackend {
    if (this.buckets.size === 0) return backend;
    return async (request) => {
      const { operation, input } = request.identified;
      const kind = WRITES.has(operation) ? 'write' : READS.has(operation) ? 'read' : undefined;
      const tables = kind ? tablesOf(operation, input).filter((t) => this.buckets.has(t)) : [];
      if (!kind || tables.length === 0) return backend(request);
      const exhausted = tables.find((t) => this.buckets.get(t)![kind].available() <= 0);
      if (exhausted) return errorResponse(request.identified, exceeded(exhausted));
      // Reserved before the call, so concurrent requests cannot all pass one nearly empty bucket.
      const reserved = new Map(tables.map((t) => [t, minimumUnits(operation, input, t)]));
      for (const [t, units] of reserved) this.buckets.get(t)![kind].charge(units);
      const asked = input.ReturnConsumedCapacity;
      const measured: BackendRequest = { ...request, body: JSON.stringify({ ...input, ReturnConsumedCapacity: asked === 'INDEXES' ? 'INDEXES' : 'TOTAL' }) };
      const reply = await backend(measured);
      const out = reply.status === 200 ? (JSON.parse(reply.body) as Input) : {};
      const consumed = new Map(([out.ConsumedCapacity ?? []].flat() as { TableName: string; CapacityUnits: number }[]).map((c) => [c.TableName, c.CapacityUnits]));
      for (const [t, units] of reserved) this.buckets.get(t)![kind].charge((consumed.get(t) ?? 0) - units);
      if (reply.status !== 200) return reply;
      if (asked === undefined || asked === 'NONE') delete out.ConsumedCapacity;
      return { ...reply, body: JSON.stringify(out) };
    };
  }
}

/** The least a request can consume on a table: 1 unit per item written, ½ per item read. */
function minimumUnits(operation: string, input: Input, table: string): number {
  const items = ((input.RequestItems ?? {}) as Record<string, unknown[] | { Keys?: unknown[] }>)[table];
  if (operation === 'BatchWriteItem') return Array.isArray(items) ? items.length : 1;
  if (operation === 'BatchGetItem') return (items && !Array.isArray(items) ? (items.Keys?.length ?? 1) : 1) / 2;
  return WRITES.has(operation) ? 1 : 0.5;
}

function exceeded(table: string) {
  return {
    code: 'ProvisionedThroughputExceededException',
    queryCode: 'ProvisionedThroughputExceededException',
    jsonStatus: 400,
    restStatus: 400,
    message: `The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API. (table ${table}, emulated locally)`,
  };
}
