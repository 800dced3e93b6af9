import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, test } from 'vitest';
import { WorkQueue, WorkQueueProps } from '../../infra/work-queue';
import { WORKER_ENTRY, freshStack, inlineFunction } from '../helpers/synth';

/** Builds a WorkQueue in a fresh stack; `handler` fixture unless the props give a worker. */
function build(props: Partial<WorkQueueProps> & { withQueue?: boolean; fifoQueue?: boolean }): WorkQueue {
  const { stack } = freshStack();
  const { withQueue, fifoQueue, ...rest } = props;
  const queue = withQueue
    ? Queue.fromQueueAttributes(stack, 'Mine', {
        queueArn: `arn:aws:sqs:eu-west-1:123456789012:mine${fifoQueue ? '.fifo' : ''}`,
        fifo: fifoQueue,
      })
    : undefined;
  const worker = rest.entry !== undefined || 'handler' in rest ? {} : { handler: inlineFunction(stack) };
  return new WorkQueue(stack, 'Orders', { ...worker, ...(queue ? { ingress: queue } : {}), ...rest } as WorkQueueProps);
}

describe('worker source', () => {
  test('fails if neither entry nor handler is given', () => {
    expect(() => build({ handler: undefined })).toThrow(/exactly one of entry or handler must be given, received neither/);
  });

  test('fails if both entry and handler are given', () => {
    const { stack } = freshStack();
    expect(() => new WorkQueue(stack, 'Orders', { entry: WORKER_ENTRY, handler: inlineFunction(stack) }))
      .toThrow(/exactly one of entry or handler must be given, received both/);
  });

  test.each([
    ['memorySize', { memorySize: 1024 }],
    ['environment', { environment: { A: 'b' } }],
  ])('fails if handler is given with %s', (prop, extra) => {
    expect(() => build(extra)).toThrow(new RegExp(`handler and ${prop} are mutually exclusive`));
  });
});

describe('ingress source', () => {
  test.each([
    ['maxReceiveCount', { maxReceiveCount: 5 }],
    ['fifo', { fifo: false }],
    ['contentBasedDeduplication', { contentBasedDeduplication: false }],
    ['visibilityTimeout', { visibilityTimeout: Duration.minutes(5) }],
    ['retentionPeriod', { retentionPeriod: Duration.days(1) }],
  ])('fails if ingress is given with %s', (prop, extra) => {
    expect(() => build({ withQueue: true, ...extra })).toThrow(new RegExp(`ingress and ${prop} are mutually exclusive`));
  });

  test('fails if ingressDeadLetterQueue is given without ingress', () => {
    const { stack } = freshStack();
    const deadLetterQueue = Queue.fromQueueArn(stack, 'Dlq', 'arn:aws:sqs:eu-west-1:123456789012:dlq');
    expect(() => new WorkQueue(stack, 'Orders', { handler: inlineFunction(stack), ingressDeadLetterQueue: deadLetterQueue }))
      .toThrow(/ingressDeadLetterQueue is only allowed together with ingress \(a created queue gets its own dead-letter queue\), received it without ingress/);
  });

  test('fails if contentBasedDeduplication is set on a standard queue', () => {
    expect(() => build({ contentBasedDeduplication: true })).toThrow(/contentBasedDeduplication requires fifo: true \(standard queues do not deduplicate\), received true for a standard queue/);
  });
});

describe('ranges', () => {
  test.each([0, 1001, 2.5])('fails if maxReceiveCount is %s', (value) => {
    expect(() => build({ maxReceiveCount: value }))
      .toThrow(new RegExp(`maxReceiveCount must be an integer between 1 and 1000, received ${value}`));
  });

  test.each([
    [Duration.millis(500), '500 millis'],
    [Duration.seconds(901), '15 minutes 1 second'],
  ])('fails if timeout is %s', (timeout, shown) => {
    expect(() => build({ timeout })).toThrow(new RegExp(`timeout must be between 1 second and 900 seconds, received ${shown}`));
  });

  test.each([127, 10_241])('fails if memorySize is %s', (memorySize) => {
    expect(() => build({ entry: WORKER_ENTRY, memorySize }))
      .toThrow(new RegExp(`memorySize must be an integer between 128 and 10240, received ${memorySize}`));
  });

  test('fails if retentionPeriod is below 60 seconds', () => {
    expect(() => build({ retentionPeriod: Duration.seconds(30) })).toThrow(/retentionPeriod must be between 60 seconds and 14 days, received 30 seconds/);
  });

  test('fails if visibilityTimeout is above 12 hours', () => {
    expect(() => build({ visibilityTimeout: Duration.hours(13) })).toThrow(/visibilityTimeout must be between 0 seconds and 12 hours, received 13 hours/);
  });

  test('fails if visibilityTimeout is below 6 × the function timeout', () => {
    expect(() => build({ timeout: Duration.seconds(60), visibilityTimeout: Duration.minutes(5) }))
      .toThrow(/visibilityTimeout must be at least 6 × the function timeout \(360 seconds, up to 12 hours\), received 5 minutes/);
  });

  test('fails if itemConcurrency is 0', () => {
    expect(() => build({ itemConcurrency: 0 })).toThrow(/itemConcurrency must be an integer between 1 and 1000, received 0/);
  });

  test.each([0, 10_001])('fails if batchSize is %s on a standard queue', (batchSize) => {
    expect(() => build({ batchSize, maxBatchingWindow: Duration.seconds(1) }))
      .toThrow(new RegExp(`batchSize must be an integer between 1 and 10000, received ${batchSize}`));
  });

  test('fails if maxBatchingWindow is above 300 seconds', () => {
    expect(() => build({ maxBatchingWindow: Duration.seconds(301) })).toThrow(/maxBatchingWindow must be between 0 seconds and 300 seconds, received 5 minutes 1 second/);
  });

  test('fails if batchSize is above 10 without a batching window', () => {
    expect(() => build({ batchSize: 11 })).toThrow(/maxBatchingWindow must be at least 1 second \(up to 300 seconds\) when batchSize is greater than 10, received none with batchSize 11/);
  });

  test('fails if batchSize is above 10 with a batching window under 1 second', () => {
    expect(() => build({ batchSize: 100, maxBatchingWindow: Duration.millis(500) })).toThrow(/maxBatchingWindow must be at least 1 second .* received 500 millis with batchSize 100/);
  });

  test.each([1, 1001])('fails if maxConcurrency is %s', (maxConcurrency) => {
    expect(() => build({ maxConcurrency })).toThrow(new RegExp(`maxConcurrency must be an integer between 2 and 1000, received ${maxConcurrency}`));
  });
});

describe('FIFO', () => {
  test('fails if batchSize is above 10 on a FIFO queue', () => {
    expect(() => build({ fifo: true, batchSize: 11 })).toThrow(/batchSize \(FIFO queue\) must be an integer between 1 and 10, received 11/);
  });

  test('fails if maxBatchingWindow is set on a FIFO queue', () => {
    expect(() => build({ fifo: true, maxBatchingWindow: Duration.seconds(1) })).toThrow(/maxBatchingWindow is not supported on FIFO queues, received 1 second/);
  });

  test('fails if batchSize is above 10 on a brought FIFO queue', () => {
    expect(() => build({ withQueue: true, fifoQueue: true, batchSize: 11 })).toThrow(/batchSize \(FIFO queue\) must be an integer between 1 and 10/);
  });
});

describe('stability inputs', () => {
  test('fails if expectedArrivalRate is given without itemProcessingTime', () => {
    expect(() => build({ expectedArrivalRate: 5 })).toThrow(/expectedArrivalRate and itemProcessingTime must be given together .* received only expectedArrivalRate/);
  });

  test('fails if itemProcessingTime is given without expectedArrivalRate', () => {
    expect(() => build({ itemProcessingTime: Duration.seconds(1) })).toThrow(/received only itemProcessingTime/);
  });

  test.each([0, -1, Number.NaN])('fails if expectedArrivalRate is %s', (rate) => {
    expect(() => build({ expectedArrivalRate: rate, itemProcessingTime: Duration.seconds(1) }))
      .toThrow(new RegExp(`expectedArrivalRate must be a number of items per second greater than 0, received ${rate}`));
  });

  test('fails if itemProcessingTime is 0', () => {
    expect(() => build({ expectedArrivalRate: 1, itemProcessingTime: Duration.seconds(0) }))
      .toThrow(/itemProcessingTime must be greater than 0 seconds, received 0 seconds/);
  });
});

describe('reporting', () => {
  test('lists every violation in one error', () => {
    let message = '';
    try {
      build({ batchSize: 0, maxConcurrency: 1, timeout: Duration.seconds(901) });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^WorkQueue at Test\/Orders: invalid props \(3\):/);
    expect(message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(3);
  });

  test('skips values that are unresolved tokens', () => {
    const batchSize = Lazy.number({ produce: () => 20_000 });
    const queue = build({ batchSize, maxBatchingWindow: Duration.seconds(1) });
    // Out of range once resolved: it passed validation only because it was a token then.
    Template.fromStack(Stack.of(queue)).hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 20_000 });
  });
});
