/**
 * Runs one Lambda function: a pool of worker threads (execution environments), each with the
 * function's own environment, created on demand up to the function's concurrency and reused
 * warm. One invocation per worker at a time; the timeout (which starts once the bundle has
 * loaded) kills the worker, as Lambda does.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { InvocationError } from '../errors';
import { INJECTED_FAULT_TYPE, type FaultInjector } from '../faults/fault-injector';
import type { HandlerLocation } from './code-location';
import type { ClockMirror } from './clock-mirror';
import { billedDuration, InvocationStats } from './invocation-stats';

/** Everything the host needs to run a function. */
export interface FunctionSpec {
  /** The physical function name. */
  readonly name: string;
  readonly arn: string;
  readonly handler: HandlerLocation;
  /** The worker's complete `process.env`. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly memoryMb: number;
  /** Most execution environments at once. */
  readonly concurrency: number;
}

/** Options of {@link FunctionHost}. */
export interface FunctionHostOptions {
  readonly faults: FaultInjector;
  /** Receives every line the function writes to stdout/stderr. @default - lines are dropped */
  readonly onLog?: (functionName: string, line: string) => void;
  /**
   * The runtime clock's time, shared (a {@link ClockMirror}'s buffer): each worker's `Date`
   * then reads it instead of the wall clock.
   * @default - workers keep the wall clock
   */
  readonly clockBuffer?: SharedArrayBuffer;
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

interface Waiter {
  readonly resolve: (sandbox: Sandbox) => void;
  readonly reject: (error: Error) => void;
}

interface Sandbox {
  readonly worker: Worker;
  /** Settles when the bundle has loaded (undefined) or the worker died first (why). */
  readonly initialized: Promise<string | undefined>;
  readonly endInit: (failure?: string) => void;
  pending?: Pending;
  /** Set once the worker timed out, crashed or exited: it is never reused. */
  dead: boolean;
  /** The init duration the worker reported, in ms; reported with its first invocation only (the cold start). */
  initMs?: number;
  /** Whether an invocation has run in this environment (later ones are warm). */
  used: boolean;
}

/** Lambda's limit on the init phase (loading the bundle), apart from the function timeout. */
export const INIT_LIMIT_MS = 10_000;

/** How long an invocation picked to crash runs before its environment is killed, in ms. */
const CRASH_AFTER_MS = 20;

/** One function's execution environments. */
export class FunctionHost {
  private readonly idle: Sandbox[] = [];
  private readonly waiting: Waiter[] = [];
  /** Every environment not yet retired, busy ones included, so close() can end them all. */
  private readonly sandboxes = new Set<Sandbox>();
  private live = 0;
  private invocations = 0;
  private closed = false;
  /** What became of the invocations (errors and init errors with their first message). */
  public readonly stats: InvocationStats;

  /**
   * @param spec the function
   * @param options faults and log sink
   */
  constructor(
    public readonly spec: FunctionSpec,
    private readonly options: FunctionHostOptions,
  ) {
    this.stats = new InvocationStats(spec.name);
  }

  /** How many invocations have started (injected failures included). */
  public get invocationCount(): number {
    return this.invocations;
  }

  /** How many execution environments are busy. */
  public get busy(): number {
    return this.live - this.idle.length;
  }

  /**
   * Invokes the function synchronously; waits for a free environment when all are busy.
   *
   * @param event the event (structured-cloneable JSON data)
   * @returns the handler's result, JSON round-tripped as Lambda does
   * @throws InvocationError when the handler throws, times out, or an injected fault strikes
   */
  public async invoke(event: unknown): Promise<unknown> {
    this.stats.started();
    try {
      const result = await this.invokeOnce(event);
      this.stats.succeeded();
      return result;
    } catch (err) {
      this.stats.failed(err);
      throw err;
    }
  }

  private async invokeOnce(event: unknown): Promise<unknown> {
    const n = ++this.invocations;
    if (this.options.faults.failInvocation(this.spec.name, n)) {
      throw new InvocationError(this.spec.name, INJECTED_FAULT_TYPE, `invocation ${n} failed by fault injection`);
    }
    const sandbox = await this.acquire();
    try {
      return await this.run(sandbox, event, this.options.faults.crashInvocation(this.spec.name, n));
    } finally {
      this.release(sandbox);
    }
  }

  /**
   * Terminates every environment, busy ones too: their invocations, and those still waiting
   * for an environment, fail with an InvocationError instead of keeping the process alive
   * (a busy worker) or never settling (a waiter nobody will serve).
   */
  public async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.closedError());
    // Idle environments leave the pool in their 'exit' handler, busy ones when released.
    await Promise.all([...this.sandboxes].map((s) => s.worker.terminate()));
  }

  private closedError(): InvocationError {
    return new InvocationError(this.spec.name, 'Runtime.ExitError', 'the function host was closed');
  }

  private acquire(): Promise<Sandbox> {
    if (this.closed) return Promise.reject(this.closedError());
    const ready = this.idle.pop();
    if (ready) return Promise.resolve(ready);
    if (this.live < this.spec.concurrency) {
      this.live++;
      return Promise.resolve(this.spawn());
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(sandbox: Sandbox): void {
    if (sandbox.dead || this.closed) return void this.retire(sandbox);
    const next = this.waiting.shift();
    if (next) next.resolve(sandbox);
    else this.idle.push(sandbox);
  }

  private retire(sandbox: Sandbox): void {
    this.live--;
    this.sandboxes.delete(sandbox);
    void sandbox.worker.terminate();
    // A waiter gets a fresh environment in place of the dead one.
    const next = this.waiting.shift();
    if (next && !this.closed) {
      this.live++;
      next.resolve(this.spawn());
    }
  }

  private spawn(): Sandbox {
    const { handler } = this.spec;
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
      env: { ...this.spec.env },
      execArgv: sandboxExecArgv(process.execArgv),
      workerData: { file: handler.file, exportName: handler.exportName, format: handler.format, clock: this.options.clockBuffer },
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, this.spec.memoryMb) },
    });
    let endInit: (failure?: string) => void = () => undefined;
    const initialized = new Promise<string | undefined>((resolve) => (endInit = resolve));
    const sandbox: Sandbox = { worker, dead: false, initialized, endInit, used: false };
    this.sandboxes.add(sandbox);
    this.pipeLogs(worker);
    worker.on('message', (msg: { ready?: boolean; initMs?: number; ok: boolean; result?: string; error?: { errorType: string; errorMessage: string; trace: string[]; init: boolean } }) => {
      if (msg.ready) {
        sandbox.initMs = msg.initMs;
        return sandbox.endInit();
      }
      const pending = sandbox.pending;
      sandbox.pending = undefined;
      if (!pending) return;
      clearTimeout(pending.timer);
      if (msg.ok) pending.resolve(JSON.parse(msg.result ?? 'null'));
      else pending.reject(new InvocationError(this.spec.name, msg.error!.errorType, msg.error!.errorMessage, { trace: msg.error!.trace, phase: msg.error!.init ? 'init' : 'invoke' }));
    });
    worker.on('error', (err) => this.crash(sandbox, 'Runtime.ExitError', err.message));
    worker.on('exit', (code) => {
      this.crash(sandbox, 'Runtime.ExitError', `the execution environment exited (code ${code})`);
      const at = this.idle.indexOf(sandbox);
      if (at >= 0) {
        this.idle.splice(at, 1);
        this.sandboxes.delete(sandbox);
        this.live--;
      }
    });
    return sandbox;
  }

  private crash(sandbox: Sandbox, type: string, message: string): void {
    sandbox.dead = true;
    sandbox.endInit(message);
    const pending = sandbox.pending;
    sandbox.pending = undefined;
    if (!pending) return;
    clearTimeout(pending.timer);
    pending.reject(new InvocationError(this.spec.name, type, message));
  }

  /** Waits for the sandbox's init phase (a cold start is not part of the function timeout, as on Lambda). */
  private async initialize(sandbox: Sandbox): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`init timed out after ${(INIT_LIMIT_MS / 1000).toFixed(2)} seconds`), INIT_LIMIT_MS);
    });
    const failure = await Promise.race([sandbox.initialized, limit]);
    clearTimeout(timer);
    if (failure === undefined) return;
    sandbox.dead = true;
    void sandbox.worker.terminate();
    throw new InvocationError(this.spec.name, 'Runtime.ExitError', failure, { phase: 'init' });
  }

  private async run(sandbox: Sandbox, event: unknown, crash = false): Promise<unknown> {
    await this.initialize(sandbox);
    // The environment may have died between loading and now (close(), a crash): its 'exit'
    // has fired already, so posting to it would wait for the timeout.
    if (sandbox.dead) throw new InvocationError(this.spec.name, 'Runtime.ExitError', 'the execution environment exited before the invocation');
    const awsRequestId = randomUUID();
    const deadline = Date.now() + this.spec.timeoutMs;
    const coldInitMs = sandbox.used ? undefined : sandbox.initMs;
    sandbox.used = true;
    const started = performance.now();
    const settled = (): void => this.report(awsRequestId, performance.now() - started, coldInitMs);
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        sandbox.pending = undefined;
        sandbox.dead = true;
        // Lambda discards a timed-out environment; so does the host.
        void sandbox.worker.terminate();
        reject(new InvocationError(this.spec.name, 'Sandbox.Timedout', `Task timed out after ${(this.spec.timeoutMs / 1000).toFixed(2)} seconds`));
      }, this.spec.timeoutMs);
      sandbox.pending = { resolve, reject, timer };
      const context = { functionName: this.spec.name, invokedFunctionArn: this.spec.arn, memoryLimitInMB: this.spec.memoryMb, awsRequestId, deadline };
      sandbox.worker.postMessage({ id: awsRequestId, event, context });
      // An injected crash: the environment dies once the handler is under way.
      if (crash) setTimeout(() => void sandbox.worker.terminate(), CRASH_AFTER_MS);
    }).finally(settled);
  }

  /**
   * Lambda's REPORT line for one invocation, to the function's log, with `Init Duration` on
   * the first invocation of an environment (a cold start), which the stats count too.
   */
  private report(requestId: string, durationMs: number, initMs: number | undefined): void {
    this.stats.ran(durationMs);
    if (initMs !== undefined) this.stats.coldStart(initMs);
    const init = initMs === undefined ? '' : `\tInit Duration: ${initMs.toFixed(2)} ms`;
    this.options.onLog?.(
      this.spec.name,
      `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billedDuration(durationMs)} ms\tMemory Size: ${this.spec.memoryMb} MB${init}`,
    );
  }

  private pipeLogs(worker: Worker): void {
    const sink = this.options.onLog;
    for (const stream of [worker.stdout, worker.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        if (!sink) return;
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) sink(this.spec.name, line);
      });
    }
  }
}

/**
 * The Node flags an execution environment starts with: the host's, minus a TypeScript loader
 * (`--import tsx` under `npm start`). Functions run bundled JavaScript, as on Lambda; a loader
 * inherited by every worker would put its hooks thread and its per-import transforms on every
 * cold start and every import.
 */
export function sandboxExecArgv(hostArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < hostArgv.length; i++) {
    const flag = hostArgv[i]!;
    const [name, inline] = flag.split('=', 2);
    if (!LOADER_FLAGS.has(name!)) {
      out.push(flag);
      continue;
    }
    const value = inline ?? hostArgv[++i] ?? '';
    if (!TS_LOADER.test(value)) out.push(...(inline === undefined ? [flag, value] : [flag]));
  }
  return out;
}

const LOADER_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);
const TS_LOADER = /(^|[\/])tsx([\/]|$)/;
