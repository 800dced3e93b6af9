import { Duration } from 'aws-cdk-lib';
import { IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SqsLimits } from './limits';

/** Options of {@link secureQueue}. */
export interface SecureQueueOptions {
  /**
   * A queue the user brings. When given, no queue and no dead-letter queue are created and the
   * queue-shaping options below are ignored (the construct's validator should reject them).
   *
   * @default - a new encrypted queue with its own dead-letter queue
   */
  readonly queue?: IQueue;
  /**
   * The dead-letter queue of a queue the user brings, so poison records can be sent to it
   * directly. Ignored when `queue` is not given.
   *
   * @default - the brought queue's own `deadLetterQueue` when it is a `Queue` built in this app, else none
   */
  readonly deadLetterQueue?: IQueue;
  /**
   * Receives of a message before SQS moves it to the dead-letter queue (1–1,000).
   *
   * @default 3
   */
  readonly maxReceiveCount?: number;
  /**
   * How long a received message stays invisible to other consumers (0 s–12 h).
   *
   * @default Duration.seconds(30) - the SQS default
   */
  readonly visibilityTimeout?: Duration;
  /**
   * How long the main queue keeps a message (60 s–14 days). The dead-letter queue always keeps
   * messages for the 14-day maximum, so that a poison record outlives its retries.
   *
   * @default Duration.days(4) - the SQS default
   */
  readonly retentionPeriod?: Duration;
  /**
   * Create FIFO queues (the dead-letter queue of a FIFO queue must be FIFO too). Names are
   * left to CloudFormation, which appends the `.fifo` suffix itself.
   *
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * FIFO only: deduplicate by a SHA-256 of the body instead of an explicit deduplication id.
   *
   * @default false
   */
  readonly contentBasedDeduplication?: boolean;
}

/** What {@link secureQueue} returns. */
export interface SecureQueue {
  /** The queue: the one the user brought, or the one created. */
  readonly queue: IQueue;
  /** Its dead-letter queue, when one is known (always, when the queue was created). */
  readonly deadLetterQueue?: IQueue;
  /** True when the queue (and its dead-letter queue) were created here. */
  readonly created: boolean;
}

/** The `maxReceiveCount` used when none is given: a transient failure gets two retries. */
export const DEFAULT_MAX_RECEIVE_COUNT = 3;

/**
 * Returns the user's queue, or creates an SQS queue plus dead-letter queue with secure defaults:
 * SQS-managed server-side encryption (no KMS key to manage or pay for), a policy denying
 * non-TLS requests (`enforceSSL`), a redrive policy after `maxReceiveCount` receives, a
 * dead-letter queue retaining for 14 days, and no physical names (CloudFormation generates
 * them, so two stacks never collide).
 *
 * The created children are `${id}` and `${id}Dlq` in `scope`; these IDs are a contract
 * (renaming them replaces the queues on the next deploy).
 *
 * @param scope the construct that owns the queues
 * @param id the ID of the main queue
 * @param options see {@link SecureQueueOptions}
 */
export function secureQueue(scope: Construct, id: string, options: SecureQueueOptions = {}): SecureQueue {
  if (options.queue) {
    return { queue: options.queue, deadLetterQueue: options.deadLetterQueue ?? knownDeadLetterQueue(options.queue), created: false };
  }
  const fifo = options.fifo ? true : undefined;
  const deadLetterQueue = secureDeadLetterQueue(scope, `${id}Dlq`, fifo);
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: options.visibilityTimeout,
    retentionPeriod: options.retentionPeriod,
    fifo,
    contentBasedDeduplication: options.contentBasedDeduplication,
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: options.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT },
  });
  return { queue, deadLetterQueue, created: true };
}

/**
 * A dead-letter queue with the secure defaults of {@link secureQueue}: SQS-managed encryption,
 * TLS only, and the 14-day maximum retention, so a poison record outlives its retries.
 *
 * @param scope the construct that owns the queue
 * @param id the queue's construct ID
 * @param fifo true for the dead-letter queue of a FIFO queue
 */
export function secureDeadLetterQueue(scope: Construct, id: string, fifo?: true): Queue {
  return new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.seconds(SqsLimits.maxRetentionSeconds),
    fifo,
  });
}

/** A brought `Queue` built in this app knows its redrive target; an imported `IQueue` does not. */
function knownDeadLetterQueue(queue: IQueue): IQueue | undefined {
  return queue instanceof Queue ? queue.deadLetterQueue?.queue : undefined;
}
