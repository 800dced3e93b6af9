import { Duration } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { WorkQueue, WorkQueueProps } from '../../infra/work-queue';
import { assessStability } from '../../infra/private/stability';
import { freshStack, inlineFunction } from '../helpers/synth';

function annotations(props: Partial<WorkQueueProps>): Annotations {
  const { stack } = freshStack();
  new WorkQueue(stack, 'Orders', { handler: inlineFunction(stack), ...props });
  return Annotations.fromStack(stack);
}

describe('stability warning', () => {
  test('warns when processing time ÷ parallelism exceeds the interarrival time, naming the concurrency that holds', () => {
    // 100 items/s × 2 s = 200 items in flight needed; 10 × 4 = 40 available; 51 × 4 = 204 > 200.
    const a = annotations({ expectedArrivalRate: 100, itemProcessingTime: Duration.seconds(2), maxConcurrency: 10, itemConcurrency: 4, timeout: Duration.seconds(60) });
    a.hasWarning('/Test/Orders', Match.stringLikeRegexp('cannot keep up.*parallelism 40 \\(maxConcurrency 10 × itemConcurrency 4\\).*set maxConcurrency to at least 51'));
  });

  test('warns at exact balance, which leaves no slack to drain a backlog', () => {
    const a = annotations({ expectedArrivalRate: 1, itemProcessingTime: Duration.seconds(10), maxConcurrency: 10, itemConcurrency: 1, timeout: Duration.seconds(60) });
    a.hasWarning('/Test/Orders', Match.stringLikeRegexp('cannot keep up.*at least 11'));
  });

  test('does not warn when the declared load is sustainable', () => {
    const a = annotations({ expectedArrivalRate: 1, itemProcessingTime: Duration.seconds(30), maxConcurrency: 20, itemConcurrency: 2, timeout: Duration.minutes(10) });
    a.hasNoWarning('/Test/Orders', Match.stringLikeRegexp('cannot keep up'));
  });

  test('assumes the 1,000 default account concurrency when maxConcurrency is not set', () => {
    const a = annotations({ expectedArrivalRate: 20_000, itemProcessingTime: Duration.seconds(1), batchSize: 1 });
    a.hasWarning('/Test/Orders', Match.stringLikeRegexp('the default account concurrency 1000 × itemConcurrency 10.*raise itemConcurrency'));
  });

  test('warns when a full batch cannot finish within the function timeout', () => {
    const a = annotations({ expectedArrivalRate: 0.1, itemProcessingTime: Duration.seconds(5), batchSize: 10, itemConcurrency: 1, timeout: Duration.seconds(30) });
    a.hasWarning('/Test/Orders', Match.stringLikeRegexp('may time out: a full batch of 10 at itemConcurrency 1 takes 10 × 5 seconds = 50 s'));
  });

  test('warns when a brought queue has no known dead-letter queue', () => {
    const { stack } = freshStack();
    const queue = Queue.fromQueueArn(stack, 'Mine', 'arn:aws:sqs:eu-west-1:123456789012:mine');
    new WorkQueue(stack, 'Orders', { handler: inlineFunction(stack), ingress: queue });
    Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp('no known dead-letter queue'));
  });
});

describe('assessStability', () => {
  const input = fc.record({
    arrivalRate: fc.double({ min: 0.001, max: 10_000, noNaN: true }),
    processingSeconds: fc.double({ min: 0.001, max: 3_600, noNaN: true }),
    maxConcurrency: fc.integer({ min: 1, max: 1_000 }),
    itemConcurrency: fc.integer({ min: 1, max: 100 }),
  });

  test('more parallelism never turns a stable queue unstable', () => {
    fc.assert(fc.property(input, fc.integer({ min: 1, max: 100 }), (i, extra) => {
      if (!assessStability(i).stable) return;
      expect(assessStability({ ...i, maxConcurrency: i.maxConcurrency + extra }).stable).toBe(true);
      expect(assessStability({ ...i, itemConcurrency: i.itemConcurrency + extra }).stable).toBe(true);
    }));
  });

  test('a faster arrival rate never turns an unstable queue stable', () => {
    fc.assert(fc.property(input, fc.double({ min: 1, max: 100, noNaN: true }), (i, factor) => {
      if (assessStability(i).stable) return;
      expect(assessStability({ ...i, arrivalRate: i.arrivalRate * factor }).stable).toBe(false);
    }));
  });

  test('requiredMaxConcurrency is the smallest stable maxConcurrency', () => {
    fc.assert(fc.property(input, (i) => {
      const { requiredMaxConcurrency: c } = assessStability(i);
      expect(assessStability({ ...i, maxConcurrency: c }).stable).toBe(true);
      if (c > 1) expect(assessStability({ ...i, maxConcurrency: c - 1 }).stable).toBe(false);
    }));
  });

  test('reproduces the seed figures: 1 item a minute, 30 s keeps up, 60 s does not, 4-way parallelism makes 60 s take 15 s', () => {
    const perMinute = 1 / 60;
    expect(assessStability({ arrivalRate: perMinute, processingSeconds: 30, maxConcurrency: 1, itemConcurrency: 1 }).stable).toBe(true);
    expect(assessStability({ arrivalRate: perMinute, processingSeconds: 60, maxConcurrency: 1, itemConcurrency: 1 }).stable).toBe(false);
    const fourWay = assessStability({ arrivalRate: perMinute, processingSeconds: 60, maxConcurrency: 4, itemConcurrency: 1 });
    expect(fourWay).toStrictEqual({
      stable: true,
      parallelism: 4,
      interarrivalSeconds: 60,
      effectiveSecondsPerItem: 15,
      capacityPerSecond: 4 / 60,
      requiredMaxConcurrency: 2,
    });
  });
});
