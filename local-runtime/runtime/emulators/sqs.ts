/**
 * The SQS emulator: fauxqs in a thread of its own (`sqs-worker.mjs`) whose `Date` follows the
 * runtime clock, and the queues of the template created in it. The runtime reaches it with
 * {@link SqsEmulator.request}, messages on the thread's port (a loopback HTTP round trip per
 * call was a large share of the main thread's CPU); it also listens on 127.0.0.1 (its start
 * helper would bind every interface) for callers that speak HTTP to it. Every SQS timer —
 * visibility timeouts, delays, receive counts and redrive, the FIFO deduplication window — runs
 * on the runtime clock; the gateway runs long-poll waits on it too (`gateway/backends.ts`).
 *
 * fauxqs builds queue URLs as `http://sqs.<region>.localhost:<port>/...`, a host that does
 * not resolve here; the gateway hands out `http://<gateway>/<account>/<name>` instead and maps
 * between the two with {@link SqsEmulator.toEmulatorUrl} / {@link SqsEmulator.fromEmulatorText}.
 */
import { Worker } from 'node:worker_threads';
import { LocalRuntimeError } from '../errors';
import { CLOCK_PREAMBLE_URL } from '../lambda/clock-mirror';
import { callAwsJsonVia, type AwsJsonCallOptions, type HttpReply } from './http';

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

/** Template queue properties copied as SQS attributes (time values are runtime-clock seconds). */
const COPIED = [
  'VisibilityTimeout', 'DelaySeconds', 'MessageRetentionPeriod', 'MaximumMessageSize', 'ReceiveMessageWaitTimeSeconds',
  'FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit',
];

/**
 * Turns an `AWS::SQS::Queue`'s resolved properties into CreateQueue attributes.
 *
 * @param props the resolved properties
 */
export function queueAttributes(props: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of COPIED) if (props[key] !== undefined) out[key] = String(props[key]);
  if (props.RedrivePolicy !== undefined) {
    out.RedrivePolicy = typeof props.RedrivePolicy === 'string' ? props.RedrivePolicy : JSON.stringify(props.RedrivePolicy);
  }
  return out;
}

/** When a queue's messages next change state by themselves: a visibility timeout or a delay ending. */
interface HeldTimes {
  readonly delayed: readonly { delayUntil?: number }[];
  readonly inflight: readonly { visibilityDeadline: number }[];
}

/** The times at which held messages become visible, epoch milliseconds of the runtime clock. */
function visibleAt(held: HeldTimes): number[] {
  return [...held.inflight.map((e) => e.visibilityDeadline), ...held.delayed.flatMap((m) => (m.delayUntil === undefined ? [] : [m.delayUntil]))];
}

/** Headers of the caller's connection and framing, not of the request forwarded. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'expect']);

/** A message of the emulator's thread: an answer to a {@link SqsEmulator.request}, or the end of closing. */
interface ThreadMessage {
  readonly id?: number;
  readonly status?: number;
  readonly headers?: HttpReply['headers'];
  readonly body?: Uint8Array;
  readonly error?: string;
  readonly closed?: boolean;
}

/** The running SQS emulator. */
export class SqsEmulator {
  private readonly urls = new Map<string, string>();
  /** Queues created through the API while running (not in the template). */
  private readonly created = new Set<string>();
  /** Requests sent to the thread and not answered yet, by id. */
  private readonly pending = new Map<number, { resolve: (reply: HttpReply) => void; reject: (err: Error) => void }>();
  private nextId = 0;
  private closing?: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    /** The emulator's port on 127.0.0.1, for callers that speak HTTP to it (the runtime itself does not). */
    public readonly port: number,
    private readonly region: string,
  ) {
    worker.on('message', (m: ThreadMessage) => this.settle(m));
    // A thread that is gone answers nothing more: fail what waits on it instead of hanging.
    worker.once('exit', (code) => this.failPending(new LocalRuntimeError(`the SQS emulator's thread exited (code ${code})`)));
  }

  /**
   * Sends one request to fauxqs in its thread, over the thread's port (no socket): the gateway's
   * SQS and SNS forwarding and the runtime's own calls all go this way.
   *
   * @param method the HTTP method
   * @param path path and query
   * @param headers the request headers (`host` decides the queue URLs fauxqs builds)
   * @param body the request body
   */
  public request(method: string, path: string, headers: Record<string, string>, body: Buffer | string): Promise<HttpReply> {
    const id = this.nextId++;
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    // The body may have been re-encoded (queue URLs mapped): inject measures it afresh.
    const sent: Record<string, string> = {};
    for (const key in headers) if (!FRAMING_HEADERS.has(key)) sent[key] = headers[key]!;
    return new Promise<HttpReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, url: path, headers: sent, body: bytes });
    });
  }

  /** An AWS JSON-protocol call of the runtime's own (uncounted, unchecked), through {@link request}. */
  public callJson<T = Record<string, unknown>>(operation: string, input: unknown, options: AwsJsonCallOptions = {}): Promise<T> {
    return callAwsJsonVia<T>((m, p, h, b) => this.request(m, p, h, b), `AmazonSQS.${operation}`, input, { region: this.region, ...options });
  }

  /**
   * Starts fauxqs in its own thread, on 127.0.0.1 and an ephemeral port.
   *
   * @param region the region of its queue URLs and ARNs
   * @param clock a `ClockMirror`'s buffer: the runtime clock SQS timers follow
   *   (default: the wall clock, as for a `RealClock` at time scale 1)
   */
  public static async start(region: string, clock?: SharedArrayBuffer): Promise<SqsEmulator> {
    // No TypeScript loader: the thread runs plain JavaScript and starts faster without one.
    const worker = new Worker(new URL('./sqs-worker.mjs', import.meta.url), { workerData: { region, clock, preamble: CLOCK_PREAMBLE_URL }, execArgv: [] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        worker.once('message', (m: { port: number }) => resolve(m.port));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new LocalRuntimeError(`the SQS emulator's thread exited with code ${code} while starting`)));
      });
      // A crash after start fails every later request to the port; say why once.
      worker.on('error', (err) => process.emitWarning(`the SQS emulator's thread failed: ${String(err)}`));
      return new SqsEmulator(worker, port, region);
    } catch (err) {
      await worker.terminate();
      throw err;
    }
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
      const out = await this.callJson<{ QueueUrl: string }>('CreateQueue', { QueueName: spec.name, Attributes: spec.attributes }, { host: gatewayHost });
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
    const out = await this.callJson<{ Attributes: Record<string, string> }>('GetQueueAttributes', {
      QueueUrl: this.urls.get(name),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    });
    return {
      visible: Number(out.Attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(out.Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(out.Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    };
  }

  /** Every message a queue holds (ready, delayed and in flight), without receiving them. */
  public async inspect(name: string): Promise<HeldMessage[]> {
    const reply = await this.request('GET', `/_fauxqs/queues/${encodeURIComponent(name)}`, {}, '');
    const held = JSON.parse(reply.body.toString('utf8')) as { messages?: { ready: HeldMessage[]; delayed: HeldMessage[]; inflight: { message: HeldMessage }[] } };
    const m = held.messages;
    return m ? [...m.ready, ...m.delayed, ...m.inflight.map((e) => e.message)] : [];
  }

  /**
   * The `Policy` attribute of a queue created at run time (its resource policy, as the
   * creator set it with CreateQueue or SetQueueAttributes), or undefined when it has none or
   * is not a run-time queue (the template's queue policies are read from the template).
   *
   * @param name the queue name
   */
  public async runtimePolicy(name: string): Promise<string | undefined> {
    if (!this.created.has(name)) return undefined;
    const out = await this.callJson<{ Attributes?: Record<string, string> }>('GetQueueAttributes', {
      QueueUrl: this.urls.get(name), AttributeNames: ['Policy'],
    });
    return out.Attributes?.Policy || undefined;
  }

  /**
   * A queue's ReceiveMessageWaitTimeSeconds (what a receive without WaitTimeSeconds waits), or
   * 0 when the queue is unknown (the receive then fails on its own).
   *
   * @param url any URL naming the queue
   */
  public async receiveWaitSeconds(url: string): Promise<number> {
    try {
      const out = await this.callJson<{ Attributes?: Record<string, string> }>('GetQueueAttributes', {
        QueueUrl: this.toEmulatorUrl(url), AttributeNames: ['ReceiveMessageWaitTimeSeconds'],
      });
      return Number(out.Attributes?.ReceiveMessageWaitTimeSeconds ?? 0);
    } catch {
      return 0;
    }
  }

  /**
   * The earliest time after `after` at which a message of these queues becomes visible by
   * itself (a visibility timeout or a delay ends), or undefined when none will: what a manual
   * clock must reach for SQS to move.
   */
  public async nextVisibleAt(names: readonly string[], after: number): Promise<number | undefined> {
    let next: number | undefined;
    for (const name of names) {
      for (const at of await this.heldTimes(name)) if (at > after && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /**
   * Messages of a queue that a receive would return at `now`: the visible ones, plus those in
   * flight or delayed whose time has come (fauxqs moves them at its next receive).
   */
  public async receivableAt(name: string, now: number): Promise<number> {
    const d = await this.depth(name);
    if (d.inFlight + d.delayed === 0) return d.visible;
    return d.visible + (await this.heldTimes(name)).filter((at) => at <= now).length;
  }

  /** Stops the emulator (pending long polls are released) and its thread; idempotent. */
  public close(): Promise<void> {
    this.closing ??= this.stopWorker();
    return this.closing;
  }

  private async heldTimes(name: string): Promise<number[]> {
    const reply = await this.request('GET', `/_fauxqs/queues/${encodeURIComponent(name)}`, {}, '');
    if (reply.status !== 200) return [];
    const held = JSON.parse(reply.body.toString('utf8')) as { messages?: HeldTimes };
    return held.messages ? visibleAt(held.messages) : [];
  }

  private settle(m: ThreadMessage): void {
    const waiting = m.id === undefined ? undefined : this.pending.get(m.id);
    if (!waiting) return;
    this.pending.delete(m.id!);
    if (m.error !== undefined) waiting.reject(new LocalRuntimeError(`the SQS emulator failed a request: ${m.error}`));
    else waiting.resolve({ status: m.status!, headers: m.headers!, body: Buffer.from(m.body!.buffer, m.body!.byteOffset, m.body!.byteLength) });
  }

  private failPending(err: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }

  private async stopWorker(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.worker.on('message', (m: ThreadMessage) => m.closed && resolve());
      this.worker.once('exit', () => resolve());
    });
    this.worker.postMessage('close');
    await closed;
    await this.worker.terminate();
  }
}
