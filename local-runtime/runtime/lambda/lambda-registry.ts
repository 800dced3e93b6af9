/**
 * Every `AWS::Lambda::Function` of the stack, hosted: its code located, its environment
 * built, its own credentials registered with the gateway (with its role's IAM policies), and
 * a {@link FunctionHost} to invoke it, synchronously or asynchronously (Event invocations
 * retried, then sent to the function's dead-letter target).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultInjector } from '../faults/fault-injector';
import type { RoleAuthorizer } from '../iam/authorizer';
import { PrincipalDirectory } from '../gateway/principals';
import { ProvisioningError } from '../errors';
import type { ResourceCatalog } from '../template/catalog';
import { locateHandler } from './code-location';
import { functionEnvironment } from './environment';
import { FunctionHost } from './function-host';

/** Options of {@link LambdaRegistry.build}. */
export interface LambdaRegistryOptions {
  readonly catalog: ResourceCatalog;
  readonly principals: PrincipalDirectory;
  readonly faults: FaultInjector;
  readonly region: string;
  /** The gateway's origin (AWS_ENDPOINT_URL of every function). */
  readonly endpoint: string;
  /** Most execution environments per function (the reserved concurrency lowers it). */
  readonly maxWorkersPerFunction: number;
  readonly authorizer: RoleAuthorizer;
  readonly onLog?: (functionName: string, line: string) => void;
  /** The runtime clock's shared time, which the workers' `Date` follows. @default - workers keep the wall clock */
  readonly clockBuffer?: SharedArrayBuffer;
  /** Sends a failed Event invocation's payload to a dead-letter target ARN. */
  readonly deadLetter: (targetArn: string, payload: string) => Promise<void>;
}

interface Hosted {
  readonly host: FunctionHost;
  readonly deadLetterArn?: string;
}

/** The stack's functions, by name and ARN. */
export class LambdaRegistry {
  private readonly byKey = new Map<string, Hosted>();
  private readonly pending = new Set<Promise<void>>();
  private inlineDir?: string;
  private asyncFailures = 0;

  private constructor(private readonly deadLetter: (targetArn: string, payload: string) => Promise<void>) {}

  /** Hosts every function of the catalog's stack (workers start on first invocation). */
  public static build(options: LambdaRegistryOptions): LambdaRegistry {
    const registry = new LambdaRegistry(options.deadLetter);
    for (const [logicalId] of options.catalog.ofType('AWS::Lambda::Function')) registry.add(logicalId, options);
    return registry;
  }

  /** Every hosted function. */
  public hosts(): FunctionHost[] {
    return [...new Set([...this.byKey.values()].map((h) => h.host))];
  }

  /** Event invocations started and not finished yet. */
  public get pendingAsyncInvocations(): number {
    return this.pending.size;
  }

  /** Event invocations that failed every attempt. */
  public get failedAsyncInvocations(): number {
    return this.asyncFailures;
  }

  /** The host of a function, by name or ARN (qualifiers ignored). */
  public host(nameOrArn: string): FunctionHost {
    const hosted = this.byKey.get(unqualified(nameOrArn));
    if (!hosted) throw new ProvisioningError(nameOrArn, `no such function in the stack; functions: ${this.hosts().map((h) => h.spec.name).join(', ')}`);
    return hosted.host;
  }

  /** Whether a function of that name or ARN is hosted. */
  public has(nameOrArn: string): boolean {
    return this.byKey.has(unqualified(nameOrArn));
  }

  /** Invokes a function and waits for its result (RequestResponse). */
  public invoke(nameOrArn: string, event: unknown): Promise<unknown> {
    return this.host(nameOrArn).invoke(event);
  }

  /**
   * Invokes a function asynchronously (Event): up to 2 retries, then the payload goes to the
   * function's `DeadLetterConfig` target, if any.
   */
  public invokeAsync(nameOrArn: string, event: unknown): void {
    const hosted = this.byKey.get(unqualified(nameOrArn));
    if (!hosted) throw new ProvisioningError(nameOrArn, 'no such function in the stack');
    const run = this.runAsync(hosted, event).finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  /** Resolves when every Event invocation started so far has finished. */
  public async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Terminates every execution environment and removes inline code written for them. */
  public async close(): Promise<void> {
    await Promise.all(this.hosts().map((h) => h.close()));
    if (this.inlineDir) rmSync(this.inlineDir, { recursive: true, force: true });
  }

  /** The folder inline `ZipFile` code is written under, created on first use. */
  private inlineRoot(): string {
    this.inlineDir ??= mkdtempSync(join(tmpdir(), 'pp-local-inline-'));
    return this.inlineDir;
  }

  private async runAsync(hosted: Hosted, event: unknown): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await hosted.host.invoke(event);
        return;
      } catch {
        // Retried below; Lambda retries Event invocations twice.
      }
    }
    this.asyncFailures++;
    if (hosted.deadLetterArn) await this.deadLetter(hosted.deadLetterArn, JSON.stringify(event)).catch(() => undefined);
  }

  private add(logicalId: string, o: LambdaRegistryOptions): void {
    const props = o.catalog.properties(logicalId);
    const name = o.catalog.physicalName(logicalId);
    const arn = String(o.catalog.getAtt(logicalId, 'Arn'));
    const roleArn = String(props.Role ?? '');
    const accessKeyId = PrincipalDirectory.functionKey(name);
    const credentials = o.principals.register(accessKeyId, {
      name,
      kind: 'function',
      arn: `arn:aws:sts::${arn.split(':')[4]}:assumed-role/${roleArn.split('/').pop()}/${name}`,
      evaluator: o.authorizer(roleArn),
    });
    const memoryMb = Number(props.MemorySize ?? 128);
    const variables = ((props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});
    const reserved = props.ReservedConcurrentExecutions === undefined ? Infinity : Number(props.ReservedConcurrentExecutions);
    const host = new FunctionHost(
      {
        name,
        arn,
        handler: locateHandler(logicalId, props, o.catalog.stack, () => this.inlineRoot()),
        env: functionEnvironment({ functionName: name, region: o.region, memoryMb, endpoint: o.endpoint, credentials, variables, handler: String(props.Handler), runtime: String(props.Runtime) }),
        timeoutMs: Number(props.Timeout ?? 3) * 1000,
        memoryMb,
        concurrency: Math.max(1, Math.min(reserved, o.maxWorkersPerFunction)),
      },
      { faults: o.faults, onLog: o.onLog, clockBuffer: o.clockBuffer },
    );
    const hosted: Hosted = { host, deadLetterArn: (props.DeadLetterConfig as { TargetArn?: string } | undefined)?.TargetArn };
    this.byKey.set(name, hosted);
    this.byKey.set(arn, hosted);
  }
}

function unqualified(nameOrArn: string): string {
  // arn:aws:lambda:region:account:function:name[:qualifier] → drop the qualifier.
  const parts = nameOrArn.split(':');
  return parts.length > 7 ? parts.slice(0, 7).join(':') : nameOrArn;
}
