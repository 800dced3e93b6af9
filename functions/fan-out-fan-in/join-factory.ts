/**
 * `fanOutJoin()`: the FanOutFanIn join factory, wired to the results table (DynamoDB) and the
 * result bucket (S3). The pure core is `functions/lib/fan-out-fan-in/join.ts`.
 */
import { FanOutEnv } from '../contract';
import { DynamoResultStore, s3ReportSink } from '../lib/aws/fan-out-results';
import { systemClock } from '../lib/clock';
import { EnvReader } from '../lib/env-reader';
import { type FanOutJoinOptions, runJoin } from '../lib/fan-out-fan-in/join';
import type { JoinEvent, RunSummary } from '../lib/fan-out-fan-in/types';
import { reduceExpectedDeclarer } from './reduce-wiring';

/** The Lambda handler a join entry exports. */
export type FanOutJoinHandler = (event: JoinEvent) => Promise<RunSummary>;

function optionalNumber(env: EnvReader, name: string, max: number): number | undefined {
  const raw = env.optionalText(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  env.require(Number.isFinite(n) && n >= 0 && n <= max, `${name} (env) must be a number between 0 and ${max}, got "${raw}"`);
  return n;
}

/**
 * Builds the join handler around your `combine`. It runs once every item has settled, reads
 * all outcomes from the results table, and — unless more items failed than tolerated — calls
 * `combine` with the valid outputs in item order; it always writes the report. Past the
 * tolerance it throws `ToleratedFailureExceededError`, so nothing after the join runs. With the
 * construct's `reduce`, a run within its policy tells that Reduce how many partials it has.
 *
 * ```ts
 * export const handler = fanOutJoin({ combine: async (results) => mergeFindings(results.map((r) => r.output)) });
 * ```
 *
 * @throws ConfigError naming every missing or bad env var
 */
export function fanOutJoin<O, C>(options: FanOutJoinOptions<O, C> = {}): FanOutJoinHandler {
  const env = new EnvReader(process.env);
  const store = options.store ?? new DynamoResultStore(env.text(FanOutEnv.resultsTableName));
  const sink = options.sink ?? s3ReportSink(env.text(FanOutEnv.resultBucketName));
  const policy = options.policy ?? {
    toleratedFailureCount: optionalNumber(env, FanOutEnv.toleratedFailureCount, 100_000_000),
    toleratedFailurePercentage: optionalNumber(env, FanOutEnv.toleratedFailurePercentage, 100),
  };
  const reduceUrl = env.optionalText(FanOutEnv.reduceQueueUrl);
  env.check();
  const declareExpected = reduceUrl ? reduceExpectedDeclarer(reduceUrl) : undefined;
  return (event) => runJoin(options, { store, sink, clock: systemClock, policy, declareExpected }, event);
}
