/**
 * Boots the pieces of a {@link LocalRuntime} in dependency order, and tears them down in
 * reverse (also when booting fails halfway).
 */
import { resolve } from 'node:path';
import type { Clock } from '../scheduling/clock';
import { RealClock } from '../scheduling/clock';
import { LocalEventBridge } from '../scheduling/event-bus';
import { LocalScheduler } from '../scheduling/scheduler-service';
import type { LocalStateMachines } from '../stepfunctions';
import { registerScheduleResource, SCHEDULE_RESOURCE_TYPES } from '../scheduling/template-schedules';
import type { RequestCounter } from './accounting/request-counter';
import { DynamoEmulator } from './emulators/dynamodb';
import { CapacityLimiter, capacitySpecs } from './emulators/provisioned-capacity';
import { withTransactions } from './emulators/dynamo-transactions';
import { provisionSns } from './emulators/sns';
import { SqsEmulator } from './emulators/sqs';
import { S3Store, s3Backend } from './emulators/s3';
import { LocalS3Client } from './gateway/local-s3-client';
import { SqsPoller } from './esm/sqs-poller';
import type { FaultInjector } from './faults/fault-injector';
import { dynamoBackend, snsBackend, sqsBackend } from './gateway/backends';
import { LocalAwsClient } from './gateway/local-client';
import { PrincipalDirectory } from './gateway/principals';
import { Gateway } from './gateway/server';
import { roleAuthorizer, type RoleAuthorizer } from './iam/authorizer';
import { stackResourcePolicies } from './iam/resource-policies';
import { ClockMirror } from './lambda/clock-mirror';
import { ensureModuleResolution } from './lambda/code-location';
import { emulatorVisibilityExpiry } from './faults/concurrent-duplicate';
import { lambdaBackend } from './lambda/invoke-backend';
import { LambdaReadApi } from './lambda/read-api';
import { legacyWarnings } from './lambda/legacy-checks';
import { LambdaRegistry } from './lambda/lambda-registry';
import type { LocalRuntimeOptions } from './options';
import { checkMappingPermissions } from './iam/mapping-permissions';
import { deadLetterQueueNames, mappingSpecs, queueSpecs, subscriptionSpecs, tableSpecs, topicSpecs, type SkippedMapping } from './provision';
import { cloudFormationBackend } from './services/cloudformation';
import { startStateMachines } from './services/state-machines';
import { targetDelivery, type TargetDeliveryDeps } from './services/target-delivery';
import { loadAssembly, selectStack } from './template/assembly';
import { ResourceCatalog } from './template/catalog';
import { unemulatedWarning } from './template/unemulated-types';

/** The account every local ARN uses (fauxqs hard-codes it in queue ARNs). */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** The running pieces of a local runtime. */
export interface RuntimeParts {
  readonly region: string;
  readonly clock: Clock;
  readonly counter: RequestCounter;
  readonly faults: FaultInjector;
  readonly principals: PrincipalDirectory;
  readonly gateway: Gateway;
  readonly catalog: ResourceCatalog;
  readonly sqs: SqsEmulator;
  readonly dynamo: DynamoEmulator;
  /** The template's S3 buckets (in memory, served by the gateway). */
  readonly s3: S3Store;
  readonly lambdas: LambdaRegistry;
  /** The stack's state machines (one service for all). */
  readonly stateMachines: LocalStateMachines;
  readonly pollers: SqsPoller[];
  readonly warnings: string[];
  readonly deadLetterQueues: string[];
  readonly queueNames: string[];
  /** Tears everything down. */
  readonly shutdown: () => Promise<void>;
}

/** What the caller already built. */
export interface BootBase {
  readonly clock: Clock;
  readonly counter: RequestCounter;
  readonly faults: FaultInjector;
  readonly principals: PrincipalDirectory;
}

/** Stops one running piece. */
export type Teardown = () => Promise<void> | void;

/**
 * Runs the teardowns registered so far, newest first, and forgets them. Every one runs even
 * when an earlier one fails, so one stuck piece does not leave the servers and workers after
 * it open (and the process alive); the first failure is rethrown at the end.
 */
export async function runTeardowns(teardowns: Teardown[]): Promise<void> {
  const failures: unknown[] = [];
  for (const t of teardowns.splice(0).reverse()) {
    try {
      await t();
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length > 0) throw failures[0];
}

/** Boots a runtime; on failure, stops whatever had started and rethrows. */
export async function bootRuntime(options: LocalRuntimeOptions, base: BootBase): Promise<RuntimeParts> {
  const teardowns: Teardown[] = [];
  const shutdown = () => runTeardowns(teardowns);
  try {
    return await boot(options, base, teardowns, shutdown);
  } catch (err) {
    await shutdown();
    throw err;
  }
}

async function boot(options: LocalRuntimeOptions, base: BootBase, teardowns: Teardown[], shutdown: () => Promise<void>): Promise<RuntimeParts> {
  const region = options.region ?? 'us-east-1';
  const stack = selectStack(loadAssembly(options.assemblyDir), options.stackName);
  ensureModuleResolution(stack.assemblyDir, resolve(options.projectRoot ?? process.cwd()));
  const gateway = new Gateway({ principals: base.principals, counter: base.counter, faults: base.faults, arns: { region, accountId: LOCAL_ACCOUNT_ID } });
  await gateway.start(options.port);
  teardowns.push(() => gateway.close());
  if (!options.clock && base.clock instanceof RealClock) teardowns.push(() => (base.clock as RealClock).dispose());
  const catalog = new ResourceCatalog(stack, { stackName: stack.stackName, region, accountId: LOCAL_ACCOUNT_ID, endpoint: gateway.origin, seed: options.seed ?? 'pp-local' });
  const warnings = [...catalog.unsupportedResources()].map(([type, ids]) => unemulatedWarning(type, ids));
  // One clock for everything: SQS timers and the functions' Date follow it as schedules do.
  const mirror = ClockMirror.follow(base.clock);
  if (mirror) teardowns.push(() => mirror.dispose());
  const { sqs, dynamo } = await startEmulators(region, mirror?.buffer, teardowns);
  const queues = queueSpecs(catalog);
  await sqs.createQueues(queues, gateway.host);
  await dynamo.createTables(tableSpecs(catalog));
  await provisionSns((method, path, headers, body) => sqs.request(method, path, headers, body), region, topicSpecs(catalog), subscriptionSpecs(catalog, warnings));
  gateway.setBackend('sqs', sqsBackend(sqs, gateway.origin, base.clock));
  gateway.setBackend('sns', snsBackend(sqs));
  gateway.setBackend('dynamodb', new CapacityLimiter(capacitySpecs(catalog), base.clock).wrap(withTransactions(dynamo, dynamoBackend(dynamo), () => base.clock.now())));
  gateway.setBackend('cloudformation', cloudFormationBackend(describedStack(catalog, region)));
  const s3 = new S3Store(() => base.clock.now());
  for (const [logicalId] of catalog.ofType('AWS::S3::Bucket')) s3.createBucket(catalog.physicalName(logicalId));
  gateway.setBackend('s3', s3Backend(s3));
  const resourcePolicies = options.enforceIam === false ? undefined : stackResourcePolicies(catalog, region, LOCAL_ACCOUNT_ID, warnings);
  const authorizer = options.enforceIam === false ? () => undefined : roleAuthorizer(catalog, warnings, resourcePolicies);
  const lambdas = LambdaRegistry.build({
    clockBuffer: mirror ? mirror.buffer : undefined,
    catalog, principals: base.principals, faults: base.faults, region, endpoint: gateway.origin, authorizer,
    maxWorkersPerFunction: options.maxWorkersPerFunction ?? 4, onLog: options.onLog,
    deadLetter: (arn, payload) => new LocalAwsClient(gateway, 'lambda', region).call('sqs', 'SendMessage', { QueueUrl: arn.split(':').pop(), MessageBody: payload }).then(() => undefined),
  });
  teardowns.push(() => lambdas.close());
  warnings.push(...lambdas.hosts().flatMap((h) => legacyWarnings(h.spec)));
  gateway.setBackend('lambda', lambdaBackend(lambdas, new LambdaReadApi(catalog)));
  const stateMachines = startStepFunctions(catalog, base, gateway, lambdas, authorizer, region, options.clock === undefined, warnings);
  // Torn down before the functions they invoke, after the schedules that start them.
  teardowns.push(() => stateMachines.dispose());
  startSchedules(catalog, base, gateway, lambdas, { authorizer, resourcePolicies, runtimeQueuePolicy: (name) => sqs.runtimePolicy(name) }, region, teardowns);
  armTtlSweep(base.clock, dynamo, options.ttlSweepIntervalMs ?? 60_000, teardowns);
  const pollers = startPollers(catalog, base, gateway, lambdas, region, warnings, sqs, teardowns);
  base.counter.trackInvocations(() => lambdas.hosts().map((h) => [h.spec.name, h.invocationCount] as const));
  base.counter.reset();
  return {
    region, clock: base.clock, counter: base.counter, faults: base.faults, principals: base.principals, gateway, catalog, sqs, dynamo, s3, lambdas, stateMachines, pollers, warnings,
    deadLetterQueues: deadLetterQueueNames(catalog), queueNames: queues.map((q) => q.name), shutdown,
  };
}

/** The running stack as DescribeStacks shows it: outputs resolved to local names and URLs. */
function describedStack(catalog: ResourceCatalog, region: string) {
  const { stackName, template } = catalog.stack;
  return {
    stackName,
    stackId: `arn:aws:cloudformation:${region}:${LOCAL_ACCOUNT_ID}:stack/${stackName}/local`,
    createdAt: new Date(),
    outputs: () => Object.entries(template.Outputs ?? {}).map(([key, o]) => ({ key, value: String(catalog.output(key)), description: descriptionOf(o) })),
  };
}

function descriptionOf(output: object): string | undefined {
  const description = (output as { Description?: unknown }).Description;
  return typeof description === 'string' ? description : undefined;
}

async function startEmulators(region: string, clock: SharedArrayBuffer | undefined, teardowns: Teardown[]): Promise<{ sqs: SqsEmulator; dynamo: DynamoEmulator }> {
  const sqs = await SqsEmulator.start(region, clock);
  teardowns.push(() => sqs.close());
  const dynamo = await DynamoEmulator.start();
  teardowns.push(() => dynamo.close());
  return { sqs, dynamo };
}

function startSchedules(catalog: ResourceCatalog, base: BootBase, gateway: Gateway, lambdas: LambdaRegistry, policies: Pick<TargetDeliveryDeps, 'authorizer' | 'resourcePolicies' | 'runtimeQueuePolicy'>, region: string, teardowns: Teardown[]): void {
  const clients = { scheduler: new LocalAwsClient(gateway, 'scheduler', region), events: new LocalAwsClient(gateway, 'events', region) };
  const deliver = targetDelivery({ clients, lambdas, ...policies });
  const account = { region, accountId: LOCAL_ACCOUNT_ID };
  const scheduler = new LocalScheduler({ ...account, clock: base.clock, deliver });
  const eventBridge = new LocalEventBridge({ ...account, clock: base.clock, deliver });
  teardowns.push(() => scheduler.dispose(), () => eventBridge.dispose());
  gateway.setBackend('scheduler', (req) => scheduler.handle(req));
  gateway.setBackend('events', (req) => eventBridge.handle(req));
  for (const type of SCHEDULE_RESOURCE_TYPES) {
    for (const [logicalId] of catalog.ofType(type)) {
      registerScheduleResource({ logicalId, type, properties: catalog.properties(logicalId) }, { scheduler, eventBridge }, catalog.physicalName(logicalId));
    }
  }
}

function startStepFunctions(catalog: ResourceCatalog, base: BootBase, gateway: Gateway, lambdas: LambdaRegistry, authorizer: RoleAuthorizer, region: string, realRetryIntervals: boolean, warnings: string[]): LocalStateMachines {
  const machines = startStateMachines({
    catalog, clock: base.clock, region, accountId: LOCAL_ACCOUNT_ID, lambdas, authorizer, realRetryIntervals, warnings,
    s3Client: (accessKeyId) => new LocalS3Client(gateway, accessKeyId, region),
    callerClient: (key, principal) => {
      base.principals.register(key, principal);
      return new LocalAwsClient(gateway, key, region);
    },
  });
  gateway.setBackend('states', (req) => machines.handle(req));
  return machines;
}

function armTtlSweep(clock: Clock, dynamo: DynamoEmulator, intervalMs: number, teardowns: Teardown[]): void {
  let handle = clock.setTimer(clock.now() + intervalMs, sweep);
  async function sweep(): Promise<void> {
    handle = clock.setTimer(clock.now() + intervalMs, sweep);
    await dynamo.sweepExpired(clock.now());
  }
  teardowns.push(() => void clock.cancel(handle));
}

function startPollers(catalog: ResourceCatalog, base: BootBase, gateway: Gateway, lambdas: LambdaRegistry, region: string, warnings: string[], sqs: SqsEmulator, teardowns: Teardown[]): SqsPoller[] {
  const skipped: SkippedMapping[] = [];
  const specs = mappingSpecs(catalog, (fn) => lambdas.host(fn).spec.concurrency, skipped);
  warnings.push(...skipped.map((s) => `event source mapping ${s.logicalId}: ${s.reason} (not run)`));
  checkMappingPermissions(specs, base.principals);
  const client = new LocalAwsClient(gateway, 'poller', region);
  const expireVisibility = emulatorVisibilityExpiry(sqs, region);
  const pollers = specs.map((spec) => new SqsPoller(spec, { client, invoke: (fn, event) => lambdas.invoke(fn, event), faults: base.faults, region, expireVisibility, clock: base.clock }));
  pollers.forEach((p) => p.start());
  // Stopping: flag the pollers, close SQS (which releases their long polls), then await them.
  teardowns.push(async () => {
    pollers.forEach((p) => p.requestStop());
    await sqs.close();
    await Promise.all(pollers.map((p) => p.stop()));
  });
  return pollers;
}
