/**
 * Where Sparse Task finished events go: an SQS queue (QueuePublisher, retried batches) or an
 * EventBridge bus (PutEvents: an entry refused for throttling or a service fault is put again
 * with backoff; one still refused is an error, so the handler's retry re-emits it). The event id
 * is deterministic per task and outcome, so downstream dedupes a re-emission.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SparseTaskEventBridge } from '../../contract';
import { EventPublishError } from '../errors';
import { QueuePublisher } from '../publisher';
import { isRetryableCode, withRetry, type RetryOptions } from '../retry';
import type { EventSink, TaskFinishedEvent } from '../sparse-task/types';
import { loadEventBridge, sharedEventBridgeClient } from './eventbridge-client';
import { sqsSendPort } from './sqs-send-port';

/** The message attribute carrying the terminal status, for SQS/SNS filter policies. */
export const STATUS_ATTRIBUTE = 'PpTaskStatus';

/** Sends each event as one message to the queue at `queueUrl`. */
export class SqsTaskEventSink implements EventSink {
  private readonly publisher: QueuePublisher;

  /** @param queueUrl the downstream queue @param publisher override (tests) */
  constructor(queueUrl: string, publisher: QueuePublisher = new QueuePublisher({ port: sqsSendPort(queueUrl) })) {
    this.publisher = publisher;
  }

  /** {@inheritDoc EventSink.emit} */
  async emit(event: TaskFinishedEvent): Promise<void> {
    await this.publisher.publish([{ body: JSON.stringify(event), attributes: { [STATUS_ATTRIBUTE]: event.status } }]);
  }
}

/** Options of {@link EventBridgeTaskEventSink}. */
export type EventBridgeTaskEventSinkOptions = Pick<RetryOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'sleep' | 'random'>;

/**
 * Puts each event on the bus `busName` (source and detail-type from the contract). A call
 * that throws is retried by the SDK itself; what is retried here is an entry PutEvents refused
 * in a successful call, which the SDK does not see.
 */
export class EventBridgeTaskEventSink implements EventSink {
  /**
   * @param busName the bus
   * @param client override (tests)
   * @param retry attempts per event (default 3, the first included) and backoff of refused entries
   */
  constructor(
    private readonly busName: string,
    private readonly client?: EventBridgeClient,
    private readonly retry: EventBridgeTaskEventSinkOptions = {},
  ) {}

  /** {@inheritDoc EventSink.emit} */
  async emit(event: TaskFinishedEvent): Promise<void> {
    await withRetry(() => this.putOnce(event), {
      ...this.retry,
      isRetryable: (error) => error instanceof EventPublishError && isRetryableCode(error.code),
    });
  }

  private async putOnce(event: TaskFinishedEvent): Promise<void> {
    const [{ PutEventsCommand }, client] = await Promise.all([loadEventBridge(), this.client ?? sharedEventBridgeClient()]);
    const output = await client.send(new PutEventsCommand({
      Entries: [{
        EventBusName: this.busName,
        Source: SparseTaskEventBridge.source,
        DetailType: SparseTaskEventBridge.detailType,
        Detail: JSON.stringify(event),
        Resources: [],
      }],
    }));
    const failed = output.Entries?.find((entry) => entry.ErrorCode !== undefined);
    if ((output.FailedEntryCount ?? 0) > 0 || failed) throw new EventPublishError(failed?.ErrorCode ?? 'Unknown', failed?.ErrorMessage ?? '');
  }
}
