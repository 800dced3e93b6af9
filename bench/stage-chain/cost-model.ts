/**
 * The arithmetic of the stage-chain benchmark: the request floor of a chain configuration,
 * the naive chain's requests per item, and a dollar cost model from counted requests.
 *
 * Prices are the public on-demand prices (us-east-1), stated in
 * {@link PRICES} and printed with every cost line.
 */

/** The part of a stage's configuration the floor depends on. */
export interface StageShape {
  /** Messages per invocation. */
  readonly batchSize: number;
}

/** Entries per SendMessageBatch / ReceiveMessage / DeleteMessageBatch call. */
export const SQS_BATCH = 10;
/** Put requests per BatchWriteItem call. */
export const DYNAMODB_BATCH = 25;

/**
 * The fewest requests per item a chain of `stages` ending in a table can make: ingress sends in
 * 10-entry batches; per stage of batch size B, ⌈B/10⌉ receives, one invocation and ⌈B/10⌉
 * deletes per batch; results sent on in ⌈B/10⌉ batches, or written in ⌈B/25⌉ BatchWriteItem
 * calls at the last stage.
 */
export function floorRequestsPerItem(stages: readonly StageShape[]): number {
  let perItem = 1 / SQS_BATCH;
  stages.forEach(({ batchSize: b }, i) => {
    const fills = Math.ceil(b / SQS_BATCH);
    const out = i < stages.length - 1 ? fills : Math.ceil(b / DYNAMODB_BATCH);
    perItem += (fills + 1 + fills + out) / b;
  });
  return perItem;
}

/**
 * Requests per item of the naive chain of `stageCount` stages: one SendMessage in; per stage
 * one receive, one invocation and one delete; one SendMessage between stages; one PutItem.
 */
export function naiveRequestsPerItem(stageCount: number): number {
  return 1 + 3 * stageCount + (stageCount - 1) + 1;
}

/** Public prices the cost model uses (USD). */
export const PRICES = {
  /** SQS standard queue, per million requests (each 64 KiB chunk of a request's payload is one request). */
  sqsPerMillionRequests: 0.4,
  /** Lambda, per million invocations. */
  lambdaPerMillionRequests: 0.2,
  /** Lambda on arm64, per GB-second of billed duration. */
  lambdaPerGbSecond: 0.0000133334,
  /** DynamoDB on-demand, per million write request units (one per item of ≤ 1 KB). */
  dynamoDbPerMillionWriteUnits: 0.625,
} as const;

/** What one run used, from the counts. */
export interface RunUsage {
  /** Items that went through. */
  readonly items: number;
  /** Billable SQS requests (empty receives excluded; every request here is under 64 KiB). */
  readonly sqsRequests: number;
  /** Lambda invocations. */
  readonly lambdaInvocations: number;
  /** GB-seconds of billed Lambda duration. */
  readonly lambdaGbSeconds: number;
  /** DynamoDB write request units (items written, each ≤ 1 KB). */
  readonly dynamoDbWriteUnits: number;
}

/** USD per million items for a run's usage, split by service. */
export function dollarsPerMillionItems(usage: RunUsage): { sqs: number; lambda: number; dynamoDb: number; total: number } {
  const scale = 1_000_000 / usage.items;
  const sqs = (usage.sqsRequests * PRICES.sqsPerMillionRequests) / 1e6 * scale;
  const lambda = ((usage.lambdaInvocations * PRICES.lambdaPerMillionRequests) / 1e6 + usage.lambdaGbSeconds * PRICES.lambdaPerGbSecond) * scale;
  const dynamoDb = (usage.dynamoDbWriteUnits * PRICES.dynamoDbPerMillionWriteUnits) / 1e6 * scale;
  return { sqs, lambda, dynamoDb, total: sqs + lambda + dynamoDb };
}

/** The prices, as printed next to the cost figures. */
export function priceNote(): string {
  return `SQS $${PRICES.sqsPerMillionRequests}/M requests (64 KiB chunks), Lambda $${PRICES.lambdaPerMillionRequests}/M requests + $${PRICES.lambdaPerGbSecond}/GB-s arm64, DynamoDB $${PRICES.dynamoDbPerMillionWriteUnits}/M WRU`;
}
