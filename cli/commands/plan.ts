/**
 * `pp plan`: the stability rule and the Lambda SQS scaling model for a declared load, printed
 * as a table and drawn as an SVG chart of the backlog over time. Pure: no AWS call.
 */
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { monthlyCost } from '../plan/cost';
import { plan, type PlanInput } from '../plan/model';
import { planReport } from '../plan/report';
import type { Scaling } from '../plan/scaling';
import { backlogChartSvg } from '../plan/svg';
import { intIn, numberIn, parseDuration, parseRate } from '../units';

/** Options of `pp plan`, as commander parses them. */
export interface PlanOptions {
  readonly rate: number;
  readonly burst: number;
  readonly itemTime: number;
  readonly itemConcurrency: number;
  readonly batchSize: number;
  readonly mode: 'standard' | 'provisioned' | 'fixed';
  readonly parallelism?: number;
  readonly maxConcurrency?: number;
  readonly functionConcurrency?: number;
  readonly minPollers: number;
  readonly maxPollers: number;
  readonly pollerHourPrice?: number;
  readonly memory: number;
  readonly itemBytes: number;
  readonly fifo?: boolean;
  readonly horizon?: number;
  readonly drainWithin?: number;
  readonly chart: string;
}

/** Turns parsed options into the model's input. */
export function planInput(options: PlanOptions): PlanInput {
  return {
    arrivalRate: options.rate,
    burst: options.burst,
    itemSeconds: options.itemTime,
    itemConcurrency: options.itemConcurrency,
    scaling: scalingOf(options),
    horizonSeconds: options.horizon,
  };
}

function scalingOf(options: PlanOptions): Scaling {
  if (options.mode === 'fixed') {
    if (options.parallelism === undefined) throw new InvalidArgumentError('--mode fixed needs --parallelism');
    return { mode: 'fixed', parallelism: options.parallelism };
  }
  if (options.mode === 'provisioned') {
    if (options.maxConcurrency !== undefined) throw new InvalidArgumentError('--max-concurrency does not combine with provisioned pollers');
    return { mode: 'provisioned', minimumPollers: options.minPollers, maximumPollers: options.maxPollers, functionConcurrency: options.functionConcurrency };
  }
  return { mode: 'standard', maxConcurrency: options.maxConcurrency, functionConcurrency: options.functionConcurrency };
}

/** Runs `pp plan`: returns the report's lines and writes the chart. */
export function runPlan(options: PlanOptions): string[] {
  const input = planInput(options);
  const result = plan(input);
  const cost = monthlyCost({
    arrivalRate: options.rate,
    itemSeconds: options.itemTime,
    itemConcurrency: options.itemConcurrency,
    batchSize: options.batchSize,
    memoryMb: options.memory,
    itemBytes: options.itemBytes,
    fifo: options.fifo,
    minimumPollers: options.mode === 'provisioned' ? options.minPollers : undefined,
    pollerHourPrice: options.pollerHourPrice,
  });
  const title = `Backlog over time: ${options.rate.toPrecision(3)}/s, burst ${options.burst}, ${options.itemTime} s/item, ${options.mode} scaling (modeled)`;
  writeFileSync(options.chart, backlogChartSvg(result, title));
  return [...planReport(input, result, cost, options.drainWithin), '', `chart: ${options.chart}`];
}

/** The `plan` subcommand. */
export function planCommand(): Command {
  return new Command('plan')
    .description('model a work queue for a declared load: backlog over time, drain time, concurrency needed, monthly cost (modeled)')
    .requiredOption('--rate <rate>', 'steady arrivals: 200, 200/s, 1/min, 3600/h', parseRate)
    .requiredOption('--item-time <duration>', 'time one item takes: 30s, 150ms, 2m', parseDuration)
    .option('--burst <items>', 'items already waiting at t = 0', numberIn(0, 1e12), 0)
    .option('--item-concurrency <n>', 'items one invocation works on at once', intIn(1, 10_000), 1)
    .option('--batch-size <n>', 'records per invocation (cost only)', intIn(1, 10_000), 10)
    .addOption(new Option('--mode <mode>', 'scaling: Lambda standard, provisioned pollers, or a fixed pool').choices(['standard', 'provisioned', 'fixed']).default('standard'))
    .option('--parallelism <n>', 'workers of a fixed pool (--mode fixed)', intIn(1, 1_000_000))
    .option('--max-concurrency <n>', 'the mapping\'s MaximumConcurrency (standard mode, 2–1000)', intIn(2, 1000))
    .option('--function-concurrency <n>', 'reserved concurrency of the function (default: the account\'s 1,000)', intIn(1, 1_000_000))
    .option('--min-pollers <n>', 'provisioned MinimumPollers (2–200)', intIn(2, 200), 2)
    .option('--max-pollers <n>', 'provisioned MaximumPollers (2–2000)', intIn(2, 2000), 200)
    .option('--poller-hour-price <usd>', 'USD per event poller hour, to price provisioned pollers', numberIn(0, 1000))
    .option('--memory <mb>', 'function memory (cost only)', intIn(128, 10_240), 1024)
    .option('--item-bytes <n>', 'bytes per message (cost only)', intIn(1, 1_048_576), 1024)
    .option('--fifo', 'price a FIFO queue')
    .option('--horizon <duration>', 'time shown in the table and chart (default: 1.25 × the drain time, or 1 h)', parseDuration)
    .option('--drain-within <duration>', 'also print the concurrency that drains the burst within this time', parseDuration)
    .option('--chart <file>', 'where the SVG chart is written', 'pp-plan.svg')
    .action((options: PlanOptions) => {
      for (const line of runPlan(options)) process.stdout.write(`${line}\n`);
    });
}
