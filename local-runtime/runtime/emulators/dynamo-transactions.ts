/**
 * DynamoDB's TransactWriteItems and TransactGetItems, which dynalite does not serve, built on
 * its single-item operations. A transaction runs alone (every other DynamoDB request through
 * the gateway, and the TTL sweep, waits for it, and it for them), so nobody observes it half done:
 *
 * 1. each target item is read as it was before (the snapshot);
 * 2. each operation is applied with its own condition, so dynalite evaluates the condition
 *    exactly as it would for PutItem/UpdateItem/DeleteItem (a ConditionCheck is applied as a
 *    conditional DeleteItem and always put back);
 * 3. when any condition failed, every applied operation is undone from the snapshot and the
 *    caller gets `TransactionCanceledException` with one CancellationReason per item, as AWS
 *    answers it; an invalid operation undoes the same way and answers dynalite's error.
 *
 * Operations target distinct items (AWS rejects a request that does not), so applying one
 * never changes what another's condition sees. Concurrent conflicting requests are
 * serialized instead of failing with TransactionConflictException.
 */
import { createHash } from 'node:crypto';
import type { WireResponse } from '../../scheduling/protocol';
import type { BackendRequest, ServiceBackend } from '../gateway/server';
import type { DynamoEmulator } from './dynamodb';
import { callAwsJson, EmulatorCallError } from './http';

type Input = Record<string, unknown>;
type Item = Record<string, unknown>;

/** How long AWS remembers a ClientRequestToken. */
const TOKEN_TTL_MS = 10 * 60_000;
const MAX_ITEMS = 100;
const KINDS = ['Put', 'Update', 'Delete', 'ConditionCheck'] as const;

interface WriteOp {
  readonly kind: (typeof KINDS)[number];
  readonly body: Input;
  readonly table: string;
  readonly key: Item;
}

class TransactionError extends Error {
  constructor(readonly code: string, message: string, readonly extra: Input = {}) {
    super(message);
  }
}

function errorReply(err: TransactionError): WireResponse {
  const body = { __type: `com.amazonaws.dynamodb.v20120810#${err.code}`, message: err.message, Message: err.message, ...err.extra };
  return { status: 400, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body) };
}

function okReply(body: unknown): WireResponse {
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body) };
}

const validation = (message: string) => new TransactionError('ValidationException', message);

/**
 * Wraps the DynamoDB backend: transactions are served here, everything else by `inner`.
 *
 * @param dynamo the emulator (its port, and the lock its TTL sweep shares)
 * @param inner the backend of every other operation
 * @param now the runtime clock (ClientRequestToken expiry)
 */
export function withTransactions(dynamo: DynamoEmulator, inner: ServiceBackend, now: () => number): ServiceBackend {
  const { lock, port } = dynamo;
  const tokens = new Map<string, { hash: string; at: number; reply: WireResponse }>();
  const call = <T = Input>(operation: string, input: Input) => callAwsJson<T>(port, `DynamoDB_20120810.${operation}`, input);
  const serve = async (operation: string, input: Input, body: string): Promise<WireResponse> => {
    try {
      if (operation === 'TransactGetItems') return okReply(await transactGet(call, input));
      const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : undefined;
      const hash = createHash('sha256').update(body).digest('hex');
      const seen = token === undefined ? undefined : tokens.get(token);
      if (seen && now() - seen.at < TOKEN_TTL_MS) {
        if (seen.hash !== hash) throw new TransactionError('IdempotentParameterMismatchException', 'Request token has already been used with different parameters');
        return seen.reply;
      }
      await transactWrite(call, input);
      const reply = okReply({});
      if (token !== undefined) {
        for (const [t, { at }] of tokens) if (now() - at >= TOKEN_TTL_MS) tokens.delete(t);
        tokens.set(token, { hash, at: now(), reply });
      }
      return reply;
    } catch (err) {
      if (err instanceof TransactionError) return errorReply(err);
      if (err instanceof EmulatorCallError) return errorReply(new TransactionError(err.code, err.message.replace(/^.*? failed: [^:]+: /, '')));
      throw err;
    }
  };
  return (request: BackendRequest) => {
    const { operation, input } = request.identified;
    if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') return lock.runExclusive(() => serve(operation, input, request.body));
    return lock.runShared(() => inner(request));
  };
}

type Call = <T = Input>(operation: string, input: Input) => Promise<T>;

function itemsOf(input: Input): Input[] {
  const items = input.TransactItems;
  if (!Array.isArray(items) || items.length === 0) throw validation('1 validation error detected: Value null at \'transactItems\' failed to satisfy constraint: Member must not be null');
  if (items.length > MAX_ITEMS) throw validation(`1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ITEMS}`);
  return items as Input[];
}

async function keyOf(call: Call, table: string, item: Item): Promise<Item> {
  const { Table } = await call<{ Table: { KeySchema: { AttributeName: string }[] } }>('DescribeTable', { TableName: table });
  return Object.fromEntries(Table.KeySchema.map(({ AttributeName }) => [AttributeName, item[AttributeName]]));
}

async function writeOps(call: Call, input: Input): Promise<WriteOp[]> {
  const ops: WriteOp[] = [];
  const targets = new Set<string>();
  for (const entry of itemsOf(input)) {
    const kinds = KINDS.filter((k) => entry[k] !== undefined);
    if (kinds.length !== 1) throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
    const kind = kinds[0]!;
    const body = entry[kind] as Input;
    const table = String(body.TableName ?? '');
    const key = kind === 'Put' ? await keyOf(call, table, (body.Item ?? {}) as Item) : ((body.Key ?? {}) as Item);
    const target = `${table}\u0000${JSON.stringify(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)))}`;
    if (targets.has(target)) throw validation('Transaction request cannot include multiple operations on one item');
    targets.add(target);
    ops.push({ kind, body, table, key });
  }
  return ops;
}

/** The single-item request that applies one operation, its condition included. */
function applyRequest(op: WriteOp): [string, Input] {
  const { ReturnValuesOnConditionCheckFailure: _returned, ...body } = op.body;
  if (op.kind === 'Put') return ['PutItem', body];
  if (op.kind === 'Update') return ['UpdateItem', body];
  return ['DeleteItem', body];
}

async function restore(call: Call, op: WriteOp, before: Item | undefined): Promise<void> {
  if (before) await call('PutItem', { TableName: op.table, Item: before });
  else await call('DeleteItem', { TableName: op.table, Key: op.key });
}

async function transactWrite(call: Call, input: Input): Promise<void> {
  const ops = await writeOps(call, input);
  const before: (Item | undefined)[] = [];
  for (const op of ops) before.push((await call<{ Item?: Item }>('GetItem', { TableName: op.table, Key: op.key, ConsistentRead: true })).Item);
  const applied: number[] = [];
  const reasons: Input[] = [];
  try {
    for (const [i, op] of ops.entries()) {
      try {
        const [operation, body] = applyRequest(op);
        await call(operation, body);
        applied.push(i);
        reasons.push({ Code: 'None' });
      } catch (err) {
        if (!(err instanceof EmulatorCallError) || err.code !== 'ConditionalCheckFailedException') throw err;
        const returnOld = op.body.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && before[i];
        reasons.push({ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(returnOld ? { Item: before[i] } : {}) });
      }
    }
  } finally {
    const failed = reasons.length < ops.length || reasons.some((r) => r.Code !== 'None');
    // Undo everything on failure; a ConditionCheck is always put back.
    for (const i of applied.reverse()) if (failed || ops[i]!.kind === 'ConditionCheck') await restore(call, ops[i]!, before[i]);
  }
  if (reasons.some((r) => r.Code !== 'None')) {
    const codes = reasons.map((r) => r.Code).join(', ');
    throw new TransactionError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`, { CancellationReasons: reasons });
  }
}

async function transactGet(call: Call, input: Input): Promise<Input> {
  const responses: Input[] = [];
  for (const entry of itemsOf(input)) {
    if (Object.keys(entry).length !== 1 || entry.Get === undefined) throw validation('TransactItems of TransactGetItems can only contain Get');
    const { Item } = await call<{ Item?: Item }>('GetItem', { ...(entry.Get as Input), ConsistentRead: true });
    responses.push(Item ? { Item } : {});
  }
  return { Responses: responses };
}
