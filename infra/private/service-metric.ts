import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC_SERVICE_DIMENSION, METRICS_NAMESPACE } from '../../functions/contract';

/**
 * A CloudWatch metric the runtime emits through Powertools EMF: the contract's namespace, and
 * the `service` dimension Powertools adds from `POWERTOOLS_SERVICE_NAME`. A construct's
 * `metric*` methods must pass the same service name it gave its functions, or they would
 * graph a metric no function writes.
 *
 * @param serviceName the Powertools service name of the emitting functions
 * @param metricName a metric name from the contract
 * @param statistic the statistic the metric is read with (`Sum`, `Maximum`, `Average`)
 * @param props caller overrides (period, label, …)
 */
export function serviceMetric(serviceName: string, metricName: string, statistic: string, props?: MetricOptions): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { [METRIC_SERVICE_DIMENSION]: serviceName }, statistic, ...props });
}
