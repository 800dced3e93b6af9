/**
 * What the demo stack's end-to-end suite needs from the stack it runs against, whether that is
 * the embedded runtime booted from a synthesized assembly or a deployed stack (LocalStack, or
 * AWS) found through its outputs. Tests talk to this interface only, so the same behaviour
 * tests run on either.
 */
import type { LocalRuntime } from '../../../local-runtime/runtime/local-runtime';

/** Settings for an AWS SDK v3 client: `new SQSClient(target.clientConfig())`. */
export interface SdkClientConfig {
  readonly region: string;
  /** Where requests go; undefined means the service's AWS endpoint. */
  readonly endpoint?: string;
  /** Explicit credentials; undefined means the SDK's default provider chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

/** A message held by one of the demo's dead-letter queues. */
export interface DeadLetter {
  /** URL of the dead-letter queue holding it (one of `DemoTarget.deadLetterQueueUrls`). */
  readonly queueUrl: string;
  readonly messageId: string;
  readonly body: string;
  /** Its message attributes by name (`PpErrorReason` for a rejected record). */
  readonly messageAttributes: Readonly<Record<string, { readonly StringValue?: string }>>;
}

/** One look at a run in progress. */
export interface Progress {
  /** Orders of the run in the table. */
  readonly done: number;
  /**
   * Whether nothing is left to process: on the embedded runtime, nothing at all is busy; on a
   * deployed stack, no queue of the pipeline holds a message visible, in flight or delayed.
   */
  readonly idle: boolean;
}

/** How often, how patiently and how long a wait polls. */
export interface Polling {
  /** Pause between two looks, in ms (1–60,000). */
  readonly intervalMs: number;
  /** Idle looks in a row that end a wait (1–20): one look can fall between a delete and a send. */
  readonly quietPolls: number;
  /** Give up after this many ms. */
  readonly timeoutMs: number;
}

/** The demo stack's queues and table, as its outputs name them. */
export interface DemoResources {
  /** The orders ingress queue URL (output `OrdersQueueUrl`). */
  readonly ingressQueueUrl: string;
  /** Every dead-letter queue's URL, ingress first (output `DeadLetterQueueUrls`). */
  readonly deadLetterQueueUrls: readonly string[];
  /** Every queue an order waits in on its way to the table, ingress first (output `PipelineQueueUrls`). */
  readonly pipelineQueueUrls: readonly string[];
  /** The orders table name (output `OrdersTableName`). */
  readonly tableName: string;
}

/** The demo stack, wherever it runs. */
export interface DemoTarget extends DemoResources {
  /** `embedded`: booted here from a synthesized assembly; `deployed`: found through its stack outputs. */
  readonly kind: 'embedded' | 'deployed';
  /** One line naming what runs, for test titles and failure messages. */
  readonly description: string;
  /**
   * Prefix of this run's order ids: a deployed stack keeps the items of earlier runs, so each
   * run reads back only its own (fixed on the embedded runtime, where fault decisions hash the body).
   */
  readonly runId: string;
  /** Default polling of waits on this target. */
  readonly polling: Polling;
  /** The embedded runtime (faults, accounting); undefined on a deployed stack. */
  readonly runtime: LocalRuntime | undefined;
  /** SDK client settings for requests a producer would make. */
  clientConfig(): SdkClientConfig;
  /** Sends message bodies to the ingress queue in SendMessageBatch calls. */
  send(bodies: readonly string[]): Promise<void>;
  /** Counts and idleness, for waits. */
  progress(orderIdPrefix: string): Promise<Progress>;
  /** Orders in the table whose id starts with the prefix, by order id. */
  doneItems(orderIdPrefix: string): Promise<Map<string, Record<string, unknown>>>;
  /** Every message in the dead-letter queues, with its queue and attributes, left in its queue. */
  deadLetters(): Promise<DeadLetter[]>;
  /** Releases what the target holds (the embedded runtime and its assembly folder). */
  stop(): Promise<void>;
}
