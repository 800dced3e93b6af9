/**
 * `npm run bench -- workflow`: a 12-step DAG (a report's shapes: parallel fetches, a
 * regional fan-in, a chain, an "N" join, a batch fan-out) run as a ParallelWorkflow on the
 * local Step Functions runtime in real time, its step records in dynalite. Side by side, in
 * the same run: the same step functions called one after another in a topological order
 * (the sequential baseline), and the same steps grouped by level into a chain of Parallel
 * states (the naive Parallel-only shape, where a level waits for the slowest of the last).
 * Measured wall times; the critical path is the longest dependency chain of step durations.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoStepRecordStore } from '../functions/lib/aws/step-record-store';
import { RealClock } from '../local-runtime/scheduling/clock';
import { LocalStateMachines } from '../local-runtime/stepfunctions/local-state-machines';
import { planDag } from '../statemachines/dag';
import { createStepRecordTable, startDynalite } from '../test/helpers/dynalite';
import { type TestStep, workflowRunner } from '../test/helpers/workflow-runner';

/** id, seconds, dependsOn. */
const STEPS: readonly [string, number, string[]][] = [
  ['fetch_users', 1.0, []],
  ['fetch_products', 2.5, []],
  ['region_north', 2.0, []],
  ['region_south', 0.5, []],
  ['region_east', 1.5, []],
  ['process_users', 2.0, ['fetch_users']],
  ['combine_regions', 0.5, ['region_north', 'region_south', 'region_east']],
  ['enrich', 1.0, ['process_users', 'fetch_products']],
  ['report', 0.5, ['combine_regions', 'enrich']],
  ['email_batch_1', 1.0, ['report']],
  ['email_batch_2', 1.0, ['report']],
  ['audit', 0.5, ['region_south']],
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function criticalPath(): number {
  const finish = new Map<string, number>();
  for (const id of planDag(STEPS.map(([i, , d]) => ({ id: i, dependsOn: d }))).order) {
    const [, seconds, deps] = STEPS.find(([i]) => i === id) as [string, number, string[]];
    finish.set(id, Math.max(0, ...deps.map((d) => finish.get(d) as number)) + seconds);
  }
  return Math.max(...finish.values());
}

/** The naive Parallel-only shape: level k (longest chain of dependencies = k) waits for all of level k-1. */
function levelsDefinition(fnArn: (id: string) => string) {
  const plan = planDag(STEPS.map(([id, , dependsOn]) => ({ id, dependsOn })));
  const level = new Map<string, number>();
  for (const id of plan.order) level.set(id, Math.max(-1, ...(plan.dependsOn.get(id) ?? []).map((d) => level.get(d) as number)) + 1);
  const levels = Math.max(...level.values()) + 1;
  const states: Record<string, unknown> = {};
  for (let k = 0; k < levels; k++) {
    states[`Level${k}`] = {
      Type: 'Parallel',
      Branches: plan.order.filter((id) => level.get(id) === k).map((id) => ({ StartAt: id, States: { [id]: { Type: 'Task', Resource: fnArn(id), End: true } } })),
      ResultPath: null,
      ...(k + 1 < levels ? { Next: `Level${k + 1}` } : { End: true }),
    };
  }
  return { StartAt: 'Level0', States: states };
}

/** Runs the benchmark and returns its lines. */
export async function run(): Promise<string[]> {
  const dynalite = await startDynalite();
  const clock = new RealClock();
  try {
    const client = DynamoDBDocumentClient.from(new DynamoDBClient(dynalite.clientConfig));
    await createStepRecordTable(client, 'records');
    const store = dynamoStepRecordStore({ tableName: 'records', ttlSeconds: 3600, client });
    const steps: TestStep[] = STEPS.map(([id, seconds, dependsOn]) => ({ id, dependsOn, run: async () => {
      await sleep(seconds * 1000);
      return { id };
    } }));

    const runner = workflowRunner(steps, { failurePolicy: 'abort', pollSeconds: 1 }, clock, store);
    const t0 = performance.now();
    const done = await runner.machines.waitForExecution(runner.start());
    const wall = (performance.now() - t0) / 1000;
    const output = JSON.parse(done.output ?? '{}') as { status?: string; results?: Record<string, unknown> };
    if (done.status !== 'SUCCEEDED' || output.status !== 'succeeded' || Object.keys(output.results ?? {}).length !== STEPS.length) {
      throw new Error(`workflow run did not finish every step: ${done.status} ${done.error ?? ''} ${done.cause ?? ''}`);
    }
    await runner.machines.dispose();

    const t1 = performance.now();
    for (const id of planDag(STEPS.map(([i, , d]) => ({ id: i, dependsOn: d }))).order) await (steps.find((s) => s.id === id) as TestStep).run({}, { step: id, run: 'seq', results: {} });
    const sequential = (performance.now() - t1) / 1000;

    const levelsMachines = new LocalStateMachines({ clock, invokeLambda: async (arn) => (steps.find((s) => arn.endsWith(`:${s.id}`)) as TestStep).run({}, { step: '', run: '', results: {} }) });
    const levelsArn = levelsMachines.register({ name: 'Levels', definition: levelsDefinition((id) => `arn:aws:lambda:us-east-1:000000000000:function:${id}`) });
    const t2 = performance.now();
    const levelsDone = await levelsMachines.waitForExecution(levelsMachines.startExecution({ stateMachineArn: levelsArn }).executionArn);
    const levels = (performance.now() - t2) / 1000;
    if (levelsDone.status !== 'SUCCEEDED') throw new Error(`levels baseline failed: ${levelsDone.error}`);
    await levelsMachines.dispose();

    const f = (x: number) => x.toFixed(2);
    return [
      `bench workflow: steps=${STEPS.length} critical-path-s=${f(criticalPath())} wall-s=${f(wall)} sequential-s=${f(sequential)}`,
      `bench workflow: baseline Parallel-by-level shape wall-s=${f(levels)} (same steps, same local runtime)`,
    ];
  } finally {
    clock.dispose();
    await dynalite.close();
  }
}
