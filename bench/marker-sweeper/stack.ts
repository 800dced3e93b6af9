/**
 * The marker-sweeper bench stack: a MarkerSweeper whose sweeper applies the bench effect, and
 * beside it the naive baseline — a plain queue (with a DLQ) and a Lambda that applies the same
 * effect to every event as it arrives.
 */
import { CfnOutput, Duration, Stack, type App } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { fileURLToPath } from 'node:url';
import { handlerFunction } from '../../infra/private/handler-function';
import { MarkerSweeper } from '../../infra/marker-sweeper';

/** Output names of the stack. */
export const SweeperBenchOutput = {
  ingressUrl: 'IngressUrl',
  flagTable: 'FlagTable',
  sweeperDlqUrl: 'SweeperDlqUrl',
  markerFunction: 'MarkerFunction',
  sweeperFunction: 'SweeperFunction',
  naiveUrl: 'NaiveUrl',
  naiveDlqUrl: 'NaiveDlqUrl',
  naiveFunction: 'NaiveFunction',
} as const;

/** Flags claimed per sweep batch in the bench (several batches a run). */
export const BENCH_SWEEP_BATCH = 20;
/** Write shards of the flag index (the default). */
export const BENCH_FLAG_SHARDS = 4;

const entry = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));
const queue = (stack: Stack, id: string, props: ConstructorParameters<typeof Queue>[2] = {}) =>
  new Queue(stack, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, ...props });

/** Adds the stack to `app`; both effects fail at the given rates and take `effectMs` per call. */
export function markerSweeperBenchStack(app: App, rates: { key: number; batch: number }, effectMs: number, id = 'MarkerSweeperBench'): Stack {
  const stack = new Stack(app, id);
  const failures = { BENCH_KEY_FAILURE_RATE: String(rates.key), BENCH_BATCH_FAILURE_RATE: String(rates.batch), BENCH_EFFECT_MS: String(effectMs) };
  const rooms = new MarkerSweeper(stack, 'Rooms', {
    keyPath: 'key',
    sweeperEntry: entry('sweeper.ts'),
    sweeperEnvironment: failures,
    sweepBatchSize: BENCH_SWEEP_BATCH,
    flagShards: BENCH_FLAG_SHARDS,
  });

  const naiveDlq = queue(stack, 'NaiveDlq');
  const naiveQueue = queue(stack, 'NaiveEvents', { visibilityTimeout: Duration.seconds(30), deadLetterQueue: { queue: naiveDlq, maxReceiveCount: 5 } });
  const naive = handlerFunction(stack, 'NaiveConsumer', { entry: entry('naive-consumer.ts'), serviceName: 'marker-sweeper-bench-naive', environment: failures });
  naive.addEventSource(new SqsEventSource(naiveQueue, { batchSize: 10, reportBatchItemFailures: true }));

  const outputs: Record<string, string> = {
    [SweeperBenchOutput.ingressUrl]: rooms.ingress.queueUrl,
    [SweeperBenchOutput.flagTable]: rooms.table.tableName,
    [SweeperBenchOutput.sweeperDlqUrl]: rooms.sweeperDeadLetterQueue.queueUrl,
    [SweeperBenchOutput.markerFunction]: rooms.markerFunction.functionName,
    [SweeperBenchOutput.sweeperFunction]: rooms.sweeperFunction.functionName,
    [SweeperBenchOutput.naiveUrl]: naiveQueue.queueUrl,
    [SweeperBenchOutput.naiveDlqUrl]: naiveDlq.queueUrl,
    [SweeperBenchOutput.naiveFunction]: naive.functionName,
  };
  for (const [name, value] of Object.entries(outputs)) new CfnOutput(stack, name, { value });
  return stack;
}
