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
  readonly ingress?: IQueue;
  /**
   * The dead-letter queue of a brought `ingress`, where messages the ingress can never
   * accept (malformed JSON, no key, wrong shape) are sent with the reason. Only with `ingress`.
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
   * `ingressMaxBatchingWindow` ≥ 1 second.
   *
   * @default 10
   */
  readonly ingressBatchSize?: number;
  /**
   * How long the ingress poller gathers messages before invoking (0–300 seconds).
   *
   * @default - no window
   */
  readonly ingressMaxBatchingWindow?: Duration;
  /**
   * Concurrent ingress invocations (2–1,000).
   *
   * @default - no cap
   */
  readonly ingressMaxConcurrency?: number;
}
