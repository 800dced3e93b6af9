/**
 * Oldest message age for `pp status`. SQS has no API for it: it is the CloudWatch metric
 * `ApproximateAgeOfOldestMessage` (one-minute resolution), read here with one GetMetricData
 * call for every queue. Where CloudWatch is not served (the local runtime) the column stays
 * empty and the reason is shown once.
 */
import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';

/** Latest oldest-message age per queue name (seconds), or why there is none. */
export type OldestAges = { readonly ages: ReadonlyMap<string, number> } | { readonly unavailable: string };

/** Reads the latest `ApproximateAgeOfOldestMessage` of each queue over the last 10 minutes. */
export async function oldestAges(cloudWatch: CloudWatchClient, queueNames: readonly string[], now: number): Promise<OldestAges> {
  if (queueNames.length === 0) return { ages: new Map() };
  try {
    const out = await cloudWatch.send(new GetMetricDataCommand({
      StartTime: new Date(now - 10 * 60_000), EndTime: new Date(now), ScanBy: 'TimestampDescending',
      MetricDataQueries: queueNames.map((name, i) => ({
        Id: `q${i}`,
        MetricStat: { Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: name }] }, Period: 60, Stat: 'Maximum' },
      })),
    }));
    const ages = new Map<string, number>();
    for (const result of out.MetricDataResults ?? []) {
      const name = queueNames[Number(result.Id?.slice(1))];
      const latest = result.Values?.[0];
      if (name !== undefined && latest !== undefined) ages.set(name, latest);
    }
    return { ages };
  } catch (error) {
    return { unavailable: error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error) };
  }
}
