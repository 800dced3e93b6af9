import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC_SERVICE_DIMENSION, METRICS_NAMESPACE } from '../../functions/contract';

/**
 * A runtime EMF metric of one routing handler: Sum over 5 minutes, filtered to the handler's
 * `service` dimension (its Powertools service name).
 */
export function routingMetric(metricName: string, serviceName: string, props?: MetricOptions): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { [METRIC_SERVICE_DIMENSION]: serviceName },
    statistic: 'Sum',
    ...props,
  });
}
