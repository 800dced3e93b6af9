/**
 * Fixtures of the stage-chain and routing tests: a stage handler entry that exists in the
 * repository (not bundled in construct tests), finders over synthesized templates, and the
 * bounded waits of the end-to-end runs on the local runtime.
 */
import { fileURLToPath } from 'node:url';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Template } from 'aws-cdk-lib/assertions';
import type { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { RealClock } from '../../local-runtime/scheduling/clock';

/** The end-to-end pipeline's stage handler, used as the `entry` of construct-test stages. */
export const STAGE_ENTRY = fileURLToPath(new URL('../e2e/stage-chain-fixtures/stage.ts', import.meta.url));

/** The `Environment.Variables` of the function whose logical ID matches `idPattern`. */
export function functionEnv(template: Template, idPattern: RegExp): Record<string, unknown> {
  const functions = template.findResources('AWS::Lambda::Function');
  const id = Object.keys(functions).find((key) => idPattern.test(key));
  if (id === undefined) throw new Error(`no function matching ${idPattern}; functions: ${Object.keys(functions).join(', ')}`);
  return ((functions[id] as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties.Environment?.Variables ?? {});
}

/** The logical ID of the only resource of `type` whose ID matches `idPattern`. */
export function logicalId(template: Template, type: string, idPattern: RegExp): string {
  const ids = Object.keys(template.findResources(type)).filter((key) => idPattern.test(key));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching ${idPattern}, found ${ids.length}: ${ids.join(', ')}`);
  return ids[0] as string;
}

/** Every IAM policy statement of the template, flattened. */
export function policyStatements(template: Template): Array<{ Action: unknown; Resource: unknown; Effect: string }> {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => (policy as { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown; Effect: string }> } } }).Properties.PolicyDocument.Statement,
  );
}

/** The IAM policy statements attached to the role of the function whose logical ID matches `idPattern`. */
export function functionStatements(template: Template, idPattern: RegExp): Array<{ Action: unknown; Resource: unknown; Effect: string }> {
  const functions = template.findResources('AWS::Lambda::Function');
  const id = Object.keys(functions).find((key) => idPattern.test(key));
  if (id === undefined) throw new Error(`no function matching ${idPattern}; functions: ${Object.keys(functions).join(', ')}`);
  const role = ((functions[id] as { Properties: { Role: { 'Fn::GetAtt': [string, string] } } }).Properties.Role['Fn::GetAtt'])[0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map((policy) => (policy as { Properties: { Roles: unknown[]; PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown; Effect: string }> } } }).Properties)
    .filter((props) => JSON.stringify(props.Roles) === JSON.stringify([{ Ref: role }]))
    .flatMap((props) => props.PolicyDocument.Statement);
}

/** Options of {@link waitUntilDrained}. */
export interface DrainOptions {
  /** What is draining, for the failure message. */
  readonly label: string;
  /** Wall-clock time (epoch ms) by which the stack must be drained; keep it inside the hook's timeout. */
  readonly deadline: number;
  /**
   * Give up early when the messages left have not reached a new low for this long (ms): a
   * stuck or collapsing run fails in minutes, with its state, instead of at the deadline.
   *
   * @default 120000
   */
  readonly stallMs?: number;
}

/** Messages per consumed queue and each mapping's counters: what a failed wait prints. */
interface DrainState {
  readonly outstanding: number;
  readonly idle: boolean;
  readonly describe: () => string;
}

/** Wall-time pause between checks: each check asks every consumed queue for its depth. */
const DRAIN_POLL_MS = 500;

/**
 * Waits until no queue an event source mapping reads holds a message (visible, in flight or
 * delayed) and no batch is being processed, seen twice in a row.
 *
 * Unlike `LocalRuntime.settle()` (a 20 ms poll naming the first busy thing) it checks every
 * half second — a long drain should not load the thread every emulator runs on — and, when it
 * gives up, prints every queue and mapping.
 *
 * @throws Error naming the reason (deadline or stall), the wait, and the state of every consumed queue and mapping
 */
export async function waitUntilDrained(runtime: LocalRuntime, options: DrainOptions): Promise<void> {
  const started = Date.now();
  const stallMs = options.stallMs ?? 120_000;
  let lowest = Infinity;
  let lowestAt = started;
  for (let quiet = 0; quiet < 2; ) {
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    const state = await drainState(runtime);
    quiet = state.idle ? quiet + 1 : 0;
    if (state.outstanding < lowest) [lowest, lowestAt] = [state.outstanding, Date.now()];
    const why = Date.now() > options.deadline ? 'deadline passed' : Date.now() - lowestAt > stallMs ? `no progress for ${stallMs} ms` : undefined;
    if (why !== undefined && !state.idle) {
      throw new Error(`${options.label} not drained (${why}) after ${Date.now() - started} ms: ${state.describe()}; faults ${JSON.stringify(runtime.faults.stats())}`);
    }
  }
}

async function drainState(runtime: LocalRuntime): Promise<DrainState> {
  const names = [...new Set(runtime.pollers.map((p) => p.spec.queueUrl.split('/').pop() as string))];
  const depths = await Promise.all(names.map(async (name) => ({ name, ...(await runtime.sqs.depth(name)) })));
  const held = depths.map((d) => ({ ...d, total: d.visible + d.inFlight + d.delayed }));
  const inProgress = runtime.pollers.reduce((sum, p) => sum + p.inProgress, 0);
  const outstanding = held.reduce((sum, d) => sum + d.total, 0) + inProgress;
  const describe = () => {
    const queues = held.filter((d) => d.total > 0).map((d) => `${d.name} visible=${d.visible} inFlight=${d.inFlight} delayed=${d.delayed}`);
    // failedDeletes: batches that outlived their visibility timeout, so another poller got them too.
    const mappings = runtime.pollers.map(({ spec, stats, inProgress: n }) =>
      `${spec.functionName} inProgress=${n} batches=${stats.batches} failedInvocations=${stats.failedInvocations} failedDeletes=${stats.failedDeletes}${stats.lastError ? ` lastError=${stats.lastError}` : ''}`);
    return `queues [${queues.join('; ') || 'all empty'}]; mappings [${mappings.join('; ')}]`;
  };
  return { outstanding, idle: outstanding === 0, describe };
}

/**
 * Checks that every mapping's queue hides a received batch for longer than the batch can take
 * (batching window + function timeout + `coldStartMs`), as the constructs' 6 × timeout rule
 * ensures on AWS. A `timeScale` that breaks it lets a slow batch reappear while it still runs:
 * a second poller processes it again, and on a busy machine the duplicates multiply hop by hop.
 *
 * @throws Error listing every mapping whose visibility timeout, in wall time at the runtime clock's
 *   time scale, is too short
 */
export async function assertVisibilityOutlastsBatches(runtime: LocalRuntime, coldStartMs: number): Promise<void> {
  const sqs = new SQSClient(runtime.clientConfig());
  const problems: string[] = [];
  for (const { spec } of runtime.pollers) {
    const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: spec.queueUrl, AttributeNames: ['VisibilityTimeout'] }));
    // The attribute is in runtime-clock seconds; a scaled clock passes it faster than wall time.
    const visibilityMs = Number(out.Attributes?.VisibilityTimeout) * 1000 * (runtime.clock instanceof RealClock ? runtime.clock.timeScale : 1);
    const needed = spec.batchingWindowMs + runtime.lambdas.host(spec.functionName).spec.timeoutMs + coldStartMs;
    if (!(visibilityMs >= needed)) problems.push(`${spec.functionName}: visibility ${visibilityMs} ms < window + timeout + cold start ${needed} ms`);
  }
  sqs.destroy();
  if (problems.length > 0) throw new Error(`a batch could be received again while it runs: ${problems.join('; ')}`);
}
