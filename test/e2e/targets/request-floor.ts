/**
 * The fewest billable AWS requests the demo pipeline (infra/stacks/demo-stack.ts) can make for
 * a set of orders: every SQS call moves a full 10 messages, every write a full 25 items, every
 * invocation a full batch, and no fault forces a retry. Requests are counted as
 * local-runtime/runtime/accounting/billing.ts defines them: Lambda invocations included. A run can only cost more (partial batches, retries, duplicates),
 * and a pipeline that skipped a hop would cost less.
 */
import { isExpressOrder, isPoisonOrder } from './demo-orders';

/** Requests per message of one SQS hop into a queue and out of it: send, receive, delete. */
const HOP = 3 / 10;
/** Invocations per record of a mapping with batch size 100 (router, express worker, Validate, Price). */
const INVOKE_100 = 1 / 100;
/** Invocations per record of the Store stage's mapping (batch size 50). */
const INVOKE_50 = 1 / 50;
/** Requests per item of a 25-item BatchWriteItem. */
const WRITE = 1 / 25;

/**
 * The floor for orders numbered `numbers` (see demo-orders.ts):
 *
 * - every order: the ingress hop (the producer's send, the router's receive and delete), the
 *   router's invocation and its send to its route's queue: 3/10 + 1/100 + 1/10;
 * - express orders: received and deleted by the express worker (2/10) in its invocation (1/100);
 *   a valid one is written (1/25);
 * - standard orders (an unknown shipping method included): received and deleted by Validate
 *   (2/10) in its invocation (1/100); a valid one goes on through the Validate → Price and
 *   Price → Store hops (2 × 3/10), is invoked at Price (1/100) and Store (1/50), and is written
 *   by the chain's table sink (1/25);
 * - poison orders: sent to a dead-letter queue, at best 10 to a send (1/10).
 *
 * @returns the total number of requests
 */
export function demoRequestFloor(numbers: readonly number[]): number {
  let requests = 0;
  for (const i of numbers) {
    const valid = !isPoisonOrder(i);
    requests += HOP + INVOKE_100 + 1 / 10 + 2 / 10 + INVOKE_100;
    if (isExpressOrder(i)) requests += valid ? WRITE : 0;
    else requests += valid ? 2 * HOP + INVOKE_100 + INVOKE_50 + WRITE : 0;
    if (!valid) requests += 1 / 10;
  }
  return requests;
}

/**
 * What the same orders would cost handled one at a time (the naive pipeline: every SQS call,
 * invocation and write carries one order), counted the same way: per order the producer's
 * send, the router's receive, invocation and delete and its send on (5); per route hop a
 * receive, invocation and delete (3), a send between stages (1), a PutItem (1); a poison
 * order's dead-letter send (1).
 *
 * @returns the total number of requests
 */
export function demoNaiveRequests(numbers: readonly number[]): number {
  let requests = 0;
  for (const i of numbers) {
    const valid = !isPoisonOrder(i);
    requests += 5 + 3;
    if (isExpressOrder(i)) requests += valid ? 1 : 0;
    else requests += valid ? 2 * (1 + 3) + 1 : 0;
    if (!valid) requests += 1;
  }
  return requests;
}
