/**
 * Reduce: partial results merged as they arrive into an aggregate kept in shard
 * items, each shard holding its part of the aggregate and the ids of the partials merged into
 * it, so a partial is merged once however often it is delivered.
 */

/** An associative and commutative merge: partials are merged in arrival order, which varies. */
export type MergeFn<V> = (a: V, b: V) => V;

/** What producers send to the Reduce's ingress (JSON body). */
export interface Partial<V = unknown> {
  /** The aggregation this partial belongs to (one run of the map). */
  readonly reduceId: string;
  /** Unique id of the partial within the aggregation: the idempotency key. */
  readonly partialId: string;
  /** The partial result. */
  readonly value: V;
  /** How many partials the aggregation has in all; needed on at least one of them. @default - unknown yet */
  readonly expected?: number;
}

/**
 * A count notice: how many partials an aggregation has, sent by whoever learns it (a
 * FanOutFanIn join once every item settled, the uploader of a batch) apart from the partials.
 */
export interface ExpectedCount {
  readonly reduceId: string;
  /** How many partials the aggregation has in all. */
  readonly expected: number;
}

/** What the reducer accepts: a partial, or a count notice. */
export type ReduceInput<V = unknown> = Partial<V> | ExpectedCount;

/** Whether `input` is a partial (it has a `partialId`), not a count notice. */
export function isPartial<V>(input: ReduceInput<V>): input is Partial<V> {
  return 'partialId' in input && input.partialId !== undefined;
}

/** One shard of an aggregation. */
export interface ShardState<V = unknown> {
  /** The merge of the partials applied to this shard; absent before the first. */
  readonly value?: V;
  /** Ids of the partials merged into this shard. */
  readonly applied: readonly string[];
  /** Optimistic-concurrency version: 0 before the first write. */
  readonly version: number;
}

/** The final aggregate, written once. */
export interface FinalAggregate<V = unknown> {
  readonly reduceId: string;
  readonly value: V;
  /** Partials merged (= expected). */
  readonly count: number;
  /** When the aggregate became final (epoch ms). */
  readonly finalAt: number;
}

/** Where aggregations live: DynamoDB (`lib/aws/reduce-store.ts`) or memory. */
export interface ReduceStore {
  /** A shard, strongly consistent; version 0 and nothing applied when absent. */
  readShard(reduceId: string, shard: number): Promise<ShardState>;
  /** Writes `next` if the shard is still at `previousVersion`; false when another writer won. */
  writeShard(reduceId: string, shard: number, next: ShardState, previousVersion: number): Promise<boolean>;
  /** How many partials each shard (0 … shards-1) holds, strongly consistent: a small read. */
  shardCounts(reduceId: string, shards: number): Promise<number[]>;
  /** Every shard (0 … shards-1), strongly consistent. */
  readShards(reduceId: string, shards: number): Promise<ShardState[]>;
  /** Records the expected count if none is; returns the one stored (the first writer's). */
  setExpected(reduceId: string, expected: number): Promise<number>;
  /** The expected count, when known. */
  readExpected(reduceId: string): Promise<number | undefined>;
  /** Writes the final aggregate unless one exists; true when this call wrote it. */
  putFinal(final: FinalAggregate): Promise<boolean>;
  /** The final aggregate, when there is one. */
  readFinal(reduceId: string): Promise<FinalAggregate | undefined>;
}
