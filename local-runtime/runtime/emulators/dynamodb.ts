/**
 * The DynamoDB emulator: dynalite, in process, on 127.0.0.1, with the template's tables.
 *
 * dynalite has no UpdateTimeToLive and never expires items, so the runtime records each
 * table's TTL attribute and {@link DynamoEmulator.sweepExpired} deletes expired items when
 * the runtime's clock says so (AWS deletes them "within a few days"; locally, at each sweep).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { callAwsJson } from './http';
import { ReadWriteLock } from './read-write-lock';

/** A table to create: CreateTable input, plus the TTL attribute when TTL is enabled. */
export interface TableSpec {
  readonly name: string;
  readonly createTable: Record<string, unknown>;
  readonly ttlAttribute?: string;
}

type Props = Record<string, unknown>;

function index(raw: unknown): Props {
  const i = raw as Props;
  return { IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection ?? { ProjectionType: 'ALL' } };
}

/**
 * Turns an `AWS::DynamoDB::Table` or `AWS::DynamoDB::GlobalTable`'s resolved properties into
 * a table spec. dynalite serves it on demand; provisioned capacity is enforced in front of it
 * (`provisioned-capacity.ts`).
 *
 * @param name the physical table name
 * @param props the resolved properties
 */
export function tableSpec(name: string, props: Props): TableSpec {
  const ttl = props.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean | string } | undefined;
  const gsis = (props.GlobalSecondaryIndexes as unknown[] | undefined) ?? [];
  const lsis = (props.LocalSecondaryIndexes as unknown[] | undefined) ?? [];
  return {
    name,
    createTable: {
      TableName: name,
      KeySchema: props.KeySchema,
      AttributeDefinitions: props.AttributeDefinitions,
      BillingMode: 'PAY_PER_REQUEST',
      ...(gsis.length > 0 ? { GlobalSecondaryIndexes: gsis.map(index) } : {}),
      ...(lsis.length > 0 ? { LocalSecondaryIndexes: lsis.map(index) } : {}),
    },
    ttlAttribute: ttl && (ttl.Enabled === true || ttl.Enabled === 'true') ? ttl.AttributeName : undefined,
  };
}

/** The running DynamoDB emulator. */
export class DynamoEmulator {
  private readonly ttl = new Map<string, string>();
  /** Held exclusively by a transaction, shared by every other request and the TTL sweep. */
  public readonly lock = new ReadWriteLock();

  private constructor(
    private readonly server: Server,
    /** The emulator's port on 127.0.0.1. */
    public readonly port: number,
  ) {}

  /** Starts dynalite on 127.0.0.1 and an ephemeral port, tables ready at once. */
  public static async start(): Promise<DynamoEmulator> {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new DynamoEmulator(server, (server.address() as AddressInfo).port);
  }

  /** Creates the tables and records their TTL attributes. */
  public async createTables(specs: readonly TableSpec[]): Promise<void> {
    for (const spec of specs) {
      await callAwsJson(this.port, 'DynamoDB_20120810.CreateTable', spec.createTable);
      if (spec.ttlAttribute) this.ttl.set(spec.name, spec.ttlAttribute);
    }
  }

  /** Records (or clears) a table's TTL attribute, as UpdateTimeToLive would. */
  public setTimeToLive(table: string, attribute: string | undefined): void {
    if (attribute) this.ttl.set(table, attribute);
    else this.ttl.delete(table);
  }

  /** The TTL attribute of a table, if TTL is enabled on it. */
  public timeToLive(table: string): string | undefined {
    return this.ttl.get(table);
  }

  /**
   * Deletes every item whose TTL attribute is a number of epoch seconds before `nowMs`.
   *
   * @returns how many items were deleted
   */
  public sweepExpired(nowMs: number): Promise<number> {
    return this.lock.runShared(async () => {
      let deleted = 0;
      for (const [table, attribute] of this.ttl) deleted += await this.sweepTable(table, attribute, Math.floor(nowMs / 1000));
      return deleted;
    });
  }

  /** Items in a table (a full scan; uncounted). */
  public async count(table: string): Promise<number> {
    let total = 0;
    let start: unknown;
    do {
      const page = await callAwsJson<{ Count: number; LastEvaluatedKey?: unknown }>(this.port, 'DynamoDB_20120810.Scan', { TableName: table, Select: 'COUNT', ExclusiveStartKey: start });
      total += page.Count;
      start = page.LastEvaluatedKey;
    } while (start);
    return total;
  }

  /** Stops the emulator. */
  public close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async sweepTable(table: string, attribute: string, nowSeconds: number): Promise<number> {
    const { Table } = await callAwsJson<{ Table: { KeySchema: { AttributeName: string }[] } }>(this.port, 'DynamoDB_20120810.DescribeTable', { TableName: table });
    const keys = Table.KeySchema.map((k) => k.AttributeName);
    let deleted = 0;
    let start: unknown;
    do {
      const page = await callAwsJson<{ Items: Record<string, unknown>[]; LastEvaluatedKey?: unknown }>(this.port, 'DynamoDB_20120810.Scan', {
        TableName: table,
        FilterExpression: '#t < :now',
        ExpressionAttributeNames: { '#t': attribute },
        ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
        ExclusiveStartKey: start,
      });
      for (const item of page.Items) {
        const Key = Object.fromEntries(keys.map((k) => [k, item[k]]));
        await callAwsJson(this.port, 'DynamoDB_20120810.DeleteItem', { TableName: table, Key });
        deleted++;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return deleted;
  }
}
