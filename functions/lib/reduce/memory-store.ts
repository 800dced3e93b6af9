import type { FinalAggregate, ReduceStore, ShardState } from './types';

/** Aggregations in memory, for tests and benches: conditional writes behave as DynamoDB's. */
export class InMemoryReduceStore implements ReduceStore {
  private readonly shards = new Map<string, ShardState>();
  private readonly expected = new Map<string, number>();
  private readonly finals = new Map<string, FinalAggregate>();

  /** @inheritdoc */
  public async readShard(reduceId: string, shard: number): Promise<ShardState> {
    return structuredClone(this.shards.get(`${reduceId}#${shard}`) ?? { applied: [], version: 0 });
  }

  /** @inheritdoc */
  public async writeShard(reduceId: string, shard: number, next: ShardState, previousVersion: number): Promise<boolean> {
    const key = `${reduceId}#${shard}`;
    if ((this.shards.get(key)?.version ?? 0) !== previousVersion) return false;
    this.shards.set(key, structuredClone(next));
    return true;
  }

  /** @inheritdoc */
  public async shardCounts(reduceId: string, shards: number): Promise<number[]> {
    return (await this.readShards(reduceId, shards)).map((s) => s.applied.length);
  }

  /** @inheritdoc */
  public async readShards(reduceId: string, shards: number): Promise<ShardState[]> {
    return Promise.all(Array.from({ length: shards }, (_, i) => this.readShard(reduceId, i)));
  }

  /** @inheritdoc */
  public async setExpected(reduceId: string, expected: number): Promise<number> {
    if (!this.expected.has(reduceId)) this.expected.set(reduceId, expected);
    return this.expected.get(reduceId) as number;
  }

  /** @inheritdoc */
  public async readExpected(reduceId: string): Promise<number | undefined> {
    return this.expected.get(reduceId);
  }

  /** @inheritdoc */
  public async putFinal(final: FinalAggregate): Promise<boolean> {
    if (this.finals.has(final.reduceId)) return false;
    this.finals.set(final.reduceId, structuredClone(final));
    return true;
  }

  /** @inheritdoc */
  public async readFinal(reduceId: string): Promise<FinalAggregate | undefined> {
    return structuredClone(this.finals.get(reduceId));
  }
}
