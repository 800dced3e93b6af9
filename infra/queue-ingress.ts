import { Duration } from 'aws-cdk-lib';
import { IQueue } from 'aws-cdk-lib/aws-sqs';

/**
 * The SQS ingress props a pattern with a built-in ingress function shares (MarkerSweeper's
 * events, RollingPoller's watch/unwatch commands): the queue, its dead-letter queue, and the
 * event source mapping that drains it. The ingress is a `WorkQueue` built from them.
 */
export interface QueueIngressProps {
  /**
   * A queue you bring as the ingress. Excludes `ingressMaxReceiveCount`.
   *
   * @default - a new queue with SQS-managed encryption, TLS-only policy and a dead-letter queue
   */
  readonly ingressQueue?: IQueue;
  /**
   * The dead-letter queue of a brought `ingressQueue`, where messages the ingress can never
   * accept (malformed JSON, no key, wrong shape) are sent with the reason. Only with `ingressQueue`.
   *
   * @default - the brought queue's own dead-letter queue if it is a `Queue` of this app, else none
   */
  readonly ingressDeadLetterQueue?: IQueue;
  /**
   * Receives of a message before the created ingress queue moves it to its DLQ (1–1,000).
   *
   * @default 3
   */
  readonly ingressMaxReceiveCount?: number;
  /**
   * Messages per ingress invocation (1–10,000; 1–10 on a FIFO queue). Above 10 needs
   * `ingressBatchingWindow` ≥ 1 second.
   *
   * @default 10
   */
  readonly ingressBatchSize?: number;
  /**
   * How long the ingress poller gathers messages before invoking (0–300 seconds).
   *
   * @default - no window
   */
  readonly ingressBatchingWindow?: Duration;
  /**
   * Concurrent ingress invocations (2–1,000).
   *
   * @default - no cap
   */
  readonly ingressMaxConcurrency?: number;
}
