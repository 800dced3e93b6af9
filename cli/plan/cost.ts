/**
 * `pp plan`'s monthly cost, **modeled** from public list prices (us-east-1, x86, first pricing
 * tier, free tiers ignored), for a steady arrival rate over a 730-hour month:
 *
 *   items        N = λ × 730 × 3600
 *   SQS requests = sends + receives + deletes + idle long polls, where
 *                  sends    = ⌈N / b⌉ × ⌈b × itemBytes / 64 KiB⌉, b = min(10, ⌊1 MiB / itemBytes⌋)
 *                             (a batch is billed one request per 64 KiB chunk),
 *                  receives = N / 10 (the mapping receives up to 10 per call),
 *                  deletes  = N / 10 (DeleteMessageBatch),
 *                  idle     = pollers × 730 h × 3600 / 20 s (one long poll per poller every 20 s)
 *   Lambda       = invocations × $0.20/M + N × itemSeconds / itemConcurrency × memoryGB × $/GB-s,
 *                  invocations = N / batchSize (full batches)
 *   pollers      = minimumPollers × 730 h × EPU-hour price (provisioned mode, only when given)
 */

/** Public list prices used by the model (USD). */
export const Prices = {
  /** SQS standard queue, per million requests. */
  sqsStandardPerMillion: 0.4,
  /** SQS FIFO queue, per million requests. */
  sqsFifoPerMillion: 0.5,
  /** Lambda, per million requests. */
  lambdaPerMillionRequests: 0.2,
  /** Lambda x86 duration, per GB-second. */
  lambdaPerGbSecond: 0.0000166667,
} as const;

/** Seconds in the 730-hour month AWS bills by. */
export const MONTH_SECONDS = 730 * 3600;

const BILLING_CHUNK_BYTES = 64 * 1024;
const MAX_BATCH_BYTES = 1024 * 1024;
const LONG_POLL_SECONDS = 20;
/** Pollers a standard-mode mapping keeps long-polling an idle queue with (its initial five). */
const IDLE_POLLERS_STANDARD = 5;

/** Inputs of {@link monthlyCost}. */
export interface CostInput {
  /** Items per second. */
  readonly arrivalRate: number;
  /** Seconds per item. */
  readonly itemSeconds: number;
  /** Items one invocation works on at once. @default 1 */
  readonly itemConcurrency?: number;
  /** Records per invocation (1–10,000). @default 10 */
  readonly batchSize?: number;
  /** Function memory in MB. @default 1024 */
  readonly memoryMb?: number;
  /** Bytes per message. @default 1024 */
  readonly itemBytes?: number;
  /** FIFO queue pricing. @default false */
  readonly fifo?: boolean;
  /** Always-on pollers: provisioned `MinimumPollers`, or undefined for standard mode. @default - standard mode */
  readonly minimumPollers?: number;
  /** USD per event poller unit hour; without it provisioned pollers are not priced. @default - not priced */
  readonly pollerHourPrice?: number;
}

/** One line of the cost breakdown. */
export interface CostLine {
  /** What is billed. */
  readonly item: string;
  /** How many units a month. */
  readonly units: number;
  /** USD a month, or undefined when no price was given. */
  readonly usd: number | undefined;
}

/** The modeled monthly cost. */
export interface MonthlyCost {
  /** Items a month. */
  readonly items: number;
  /** The breakdown. */
  readonly lines: readonly CostLine[];
  /** Sum of the priced lines. */
  readonly totalUsd: number;
}

/** Models the month's bill (see the module comment for the formula). */
export function monthlyCost(input: CostInput): MonthlyCost {
  const items = input.arrivalRate * MONTH_SECONDS;
  const batchSize = input.batchSize ?? 10;
  const itemBytes = input.itemBytes ?? 1024;
  // A batch holds 10 messages unless they would pass the 1 MiB batch limit.
  const perBatch = Math.max(1, Math.min(10, Math.floor(MAX_BATCH_BYTES / itemBytes)));
  const sends = Math.ceil(items / perBatch) * Math.ceil((perBatch * itemBytes) / BILLING_CHUNK_BYTES);
  const receives = Math.ceil(items / 10);
  const deletes = Math.ceil(items / 10);
  const idle = (input.minimumPollers ?? IDLE_POLLERS_STANDARD) * (MONTH_SECONDS / LONG_POLL_SECONDS);
  const sqsPrice = (input.fifo ? Prices.sqsFifoPerMillion : Prices.sqsStandardPerMillion) / 1e6;
  const invocations = Math.ceil(items / batchSize);
  const gbSeconds = ((items * input.itemSeconds) / (input.itemConcurrency ?? 1)) * ((input.memoryMb ?? 1024) / 1024);
  const lines: CostLine[] = [
    { item: 'SQS SendMessageBatch (per 64 KiB chunk)', units: sends, usd: sends * sqsPrice },
    { item: 'SQS receives by the mapping', units: receives, usd: receives * sqsPrice },
    { item: 'SQS DeleteMessageBatch', units: deletes, usd: deletes * sqsPrice },
    { item: 'SQS idle long polls', units: idle, usd: idle * sqsPrice },
    { item: 'Lambda invocations', units: invocations, usd: (invocations * Prices.lambdaPerMillionRequests) / 1e6 },
    { item: 'Lambda GB-seconds', units: gbSeconds, usd: gbSeconds * Prices.lambdaPerGbSecond },
  ];
  if (input.minimumPollers !== undefined) {
    const hours = input.minimumPollers * 730;
    lines.push({ item: 'Provisioned poller hours (minimum)', units: hours, usd: input.pollerHourPrice === undefined ? undefined : hours * input.pollerHourPrice });
  }
  return { items, lines, totalUsd: lines.reduce((sum, line) => sum + (line.usd ?? 0), 0) };
}
