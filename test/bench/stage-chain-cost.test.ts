import { describe, expect, it } from 'vitest';
import { dollarsPerMillionItems, floorRequestsPerItem, naiveRequestsPerItem, PRICES } from '../../bench/stage-chain/cost-model';
import { report } from '../../bench/stage-chain.bench';

describe('floorRequestsPerItem', () => {
  it('counts ingress, receive, invoke, delete and send per 10-message stage, and 25-item writes at the end', () => {
    // 0.1 in + 0.4 per inner stage + (5 receives + 1 invoke + 5 deletes + 2 writes) / 50.
    expect(floorRequestsPerItem([{ batchSize: 10 }, { batchSize: 10 }, { batchSize: 50 }])).toBeCloseTo(1.16, 10);
  });

  it('charges a partial receive and a partial write for batches that are not multiples', () => {
    // 0.1 in + (2 receives + 1 invoke + 2 deletes + 1 write) / 15.
    expect(floorRequestsPerItem([{ batchSize: 15 }])).toBeCloseTo(0.1 + 6 / 15, 10);
  });
});

describe('naiveRequestsPerItem', () => {
  it('is 13 for three stages: send, 3 × (receive, invoke, delete), 2 forwards, 1 put', () => {
    expect(naiveRequestsPerItem(3)).toBe(13);
  });

  it('is 5 for one stage for naive SQS → Lambda → DynamoDB', () => {
    expect(naiveRequestsPerItem(1)).toBe(5);
  });
});

describe('dollarsPerMillionItems', () => {
  it('prices each service from its counts', () => {
    const cost = dollarsPerMillionItems({ items: 1_000_000, sqsRequests: 2_000_000, lambdaInvocations: 1_000_000, lambdaGbSeconds: 1_000, dynamoDbWriteUnits: 1_000_000 });
    expect(cost).toStrictEqual({
      sqs: 2 * PRICES.sqsPerMillionRequests,
      lambda: PRICES.lambdaPerMillionRequests + 1_000 * PRICES.lambdaPerGbSecond,
      dynamoDb: PRICES.dynamoDbPerMillionWriteUnits,
      total: 2 * PRICES.sqsPerMillionRequests + PRICES.lambdaPerMillionRequests + 1_000 * PRICES.lambdaPerGbSecond + PRICES.dynamoDbPerMillionWriteUnits,
    });
  });

  it('scales a small run to a million items', () => {
    expect(dollarsPerMillionItems({ items: 1_000, sqsRequests: 1_000, lambdaInvocations: 0, lambdaGbSeconds: 0, dynamoDbWriteUnits: 0 }).sqs).toBeCloseTo(PRICES.sqsPerMillionRequests, 10);
  });
});

describe('report', () => {
  const run = (requests: Record<string, number>) => ({ items: 100, requests, emptyReceives: 3, invocations: requests.lambda ?? 0, gbSeconds: 0, written: 100 });

  it('prints the contract line first: requests/item, floor, naive', () => {
    const lines = report(run({ sqs: 90, lambda: 22, dynamodb: 4 }), run({ sqs: 900, lambda: 300, dynamodb: 100 }));
    expect(lines[0]).toBe('bench stage-chain: requests/item=1.160 floor=1.160 naive=13.000');
  });

  it('prints a run exactly at the floor as 0.0% over it', () => {
    const lines = report(run({ sqs: 90, lambda: 22, dynamodb: 4 }), run({ sqs: 900, lambda: 300, dynamodb: 100 }));
    expect(lines[1]).toMatch(/^bench stage-chain: 0\.0% over the floor/);
  });

  it('prints the empty receives on their own line', () => {
    const lines = report(run({ sqs: 90, lambda: 22, dynamodb: 4 }), run({ sqs: 900, lambda: 300, dynamodb: 100 }));
    expect(lines[2]).toMatch(/^bench stage-chain: empty receives batched=3 naive=3 /);
  });
});
