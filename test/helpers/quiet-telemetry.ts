/**
 * A silent Powertools Logger and Metrics for handler tests: the handlers' logs and EMF lines
 * would otherwise flood the test output. `addMetric` calls are recorded so a test can assert
 * on the figures a handler reports.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** A Logger that prints nothing. */
export function silentLogger(): Logger {
  return new Logger({ serviceName: 'test', logLevel: 'SILENT' });
}

/** One recorded `addMetric` call. */
export interface RecordedMetric {
  readonly name: string;
  readonly value: number;
}

/** Metrics that never print (Powertools' `POWERTOOLS_METRICS_DISABLED`), and the metrics added to them. */
export function quietMetrics(): { metrics: Metrics; added: RecordedMetric[] } {
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const metrics = new Metrics({ namespace: 'PpPatternsTest', serviceName: 'test' });
  if (previous === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
  else process.env.POWERTOOLS_METRICS_DISABLED = previous;
  const added: RecordedMetric[] = [];
  const addMetric = metrics.addMetric.bind(metrics);
  metrics.addMetric = (name, unit, value, resolution) => {
    added.push({ name, value });
    return addMetric(name, unit, value, resolution);
  };
  return { metrics, added };
}
