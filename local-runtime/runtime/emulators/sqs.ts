/**
 * The SQS emulator: fauxqs, in process, on 127.0.0.1 (its start helper would bind every
 * interface), and the queues of the template created in it.
 *
 * fauxqs builds queue URLs as `http://sqs.<region>.localhost:<port>/...`, a host that does
 * not resolve here; the gateway hands out `http://<gateway>/<account>/<name>` instead and maps
 * between the two with {@link SqsEmulator.toEmulatorUrl} / {@link SqsEmulator.fromEmulatorText}.
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from 'fauxqs';
import { callAwsJson, sendHttp } from './http';

/** A message held by the emulator, as its inspection endpoint shows it. */
export interface HeldMessage {
  readonly messageId: string;
  readonly body: string;
  readonly messageAttributes: Record<string, { DataType: string; StringValue?: string }>;
  readonly approximateReceiveCount: number;
}

/** A queue to create, with SQS attribute values as strings. */
export interface QueueSpec {
  readonly name: string;
  readonly attributes: Record<string, string>;
}

/** Template queue properties copied as SQS attributes (the time-valued ones get scaled). */
const COPIED = ['MaximumMessageSize', 'ReceiveMessageWaitTimeSeconds', 'FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'];
const TIMED = ['VisibilityTimeout', 'DelaySeconds', 'MessageRetentionPeriod'];

/**
 * Scales a duration in seconds for a faster-than-life run, keeping a non-zero value at least 1 s
 * (SQS timers have a one-second resolution).
 */
export function scaleSeconds(seconds: number, scale: number): number {
  if (seconds <= 0) return 0;
  return Math.max(1, Math.round(seconds * scale));
}

/**
 * Turns an `AWS::SQS::Queue`'s resolved properties into CreateQueue attributes.
 *
 * @param props the resolved properties
 * @param timeScale factor applied to VisibilityTimeout, DelaySeconds, MessageRetentionPeriod
 */
export function queueAttributes(props: Record<string, unknown>, timeScale: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of COPIED) if (props[key] !== undefined) out[key] = String(props[key]);
  for (const key of TIMED) if (props[key] !== undefined) out[key] = String(scaleSeconds(Number(props[key]), timeScale));
  if (out.VisibilityTimeout === undefined && timeScale !== 1) out.VisibilityTimeout = String(scaleSeconds(30, timeScale));
  if (props.RedrivePolicy !== undefined) {
    out.RedrivePolicy = typeof props.RedrivePolicy === 'string' ? props.RedrivePolicy : JSON.stringify(props.RedrivePolicy);
  }
  return out;
}

/** CreateQueue/SetQueueAttributes attributes from a client, with the time-valued ones scaled. */
export function scaleQueueAttributes(attributes: Record<string, unknown>, timeScale: number): Record<string, unknown> {
  const out = { ...attributes };
  for (const key of TIMED) if (out[key] !== undefined) out[key] = String(scaleSeconds(Number(out[key]), timeScale));
  return out;
}

/** The running SQS emulator. */
export class SqsEmulator {
  private readonly urls = new Map<string, string>();
  /** Queues created through the API while running (not in the template). */
  private readonly created = new Set<string>();
  private closing?: Promise<void>;

  private constructor(
    private readonly app: ReturnType<typeof buildApp>,
    /** The emulator's port on 127.0.0.1. */
    public readonly port: number,
    private readonly region: string,
  ) {}

  /** Starts fauxqs on 127.0.0.1 and an ephemeral port. */
  public static async start(region: string): Promise<SqsEmulator> {
    const app = buildApp({ logger: false, defaultRegion: region });
    await app.listen({ host: '127.0.0.1', port: 0 });
    return new SqsEmulator(app, (app.server.address() as AddressInfo).port, region);
  }

  /**
   * Creates queues, dead-letter targets first (a redrive policy names its target's ARN).
   *
   * @param specs the queues
   * @param gatewayHost the gateway's `host:port`
   */
  public async createQueues(specs: readonly QueueSpec[], gatewayHost: string): Promise<void> {
    const ordered = [...specs].sort((a, b) => Number('RedrivePolicy' in a.attributes) - Number('RedrivePolicy' in b.attributes));
    for (const spec of ordered) {
      const out = await callAwsJson<{ QueueUrl: string }>(this.port, 'AmazonSQS.CreateQueue', { QueueName: spec.name, Attributes: spec.attributes }, { host: gatewayHost, region: this.region });
      this.urls.set(spec.name, out.QueueUrl);
    }
  }

  /**
   * Records a queue a client created at run time, so later calls naming its gateway URL reach
   * it as they reach the template's queues.
   *
   * @param name the queue name
   * @param emulatorUrl the URL the emulator answered CreateQueue with
   */
  public remember(name: string, emulatorUrl: string): void {
    if (!this.urls.has(name)) this.created.add(name);
    this.urls.set(name, emulatorUrl);
  }

  /** Forgets a queue deleted at run time. */
  public forget(name: string): void {
    if (this.created.delete(name)) this.urls.delete(name);
  }

  /** Names of the queues created through the API while running. */
  public get runtimeQueues(): readonly string[] {
    return [...this.created];
  }

  /** The emulator's own URL of a queue, from any URL naming it (`…/<account>/<name>`). */
  public toEmulatorUrl(url: string): string {
    const name = url.slice(url.lastIndexOf('/') + 1);
    return this.urls.get(name) ?? url;
  }

  /** Rewrites every emulator queue URL in a response text to the gateway's form. */
  public fromEmulatorText(text: string, gatewayOrigin: string): string {
    return text.replace(/http:\/\/sqs\.[a-z0-9-]+\.localhost(?::\d+)?\//g, `${gatewayOrigin}/`);
  }

  /** The emulator URL of a queue created here, by name. */
  public emulatorUrl(name: string): string | undefined {
    return this.urls.get(name);
  }

  /** Visible + in-flight + delayed messages of a queue (uncounted). */
  public async depth(name: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
    const out = await callAwsJson<{ Attributes: Record<string, string> }>(this.port, 'AmazonSQS.GetQueueAttributes', {
      QueueUrl: this.urls.get(name),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }, { region: this.region });
    return {
      visible: Number(out.Attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(out.Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(out.Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    };
  }

  /** Every message a queue holds (ready, delayed and in flight), without receiving them. */
  public async inspect(name: string): Promise<HeldMessage[]> {
    const reply = await sendHttp(this.port, 'GET', `/_fauxqs/queues/${encodeURIComponent(name)}`, {}, Buffer.alloc(0));
    const held = JSON.parse(reply.body.toString('utf8')) as { messages?: { ready: HeldMessage[]; delayed: HeldMessage[]; inflight: { message: HeldMessage }[] } };
    const m = held.messages;
    return m ? [...m.ready, ...m.delayed, ...m.inflight.map((e) => e.message)] : [];
  }

  /** Stops the emulator (pending long polls are released); idempotent. */
  public close(): Promise<void> {
    const closing = this.closing ?? this.app.close().then(() => undefined);
    this.closing = closing;
    return closing;
  }
}
