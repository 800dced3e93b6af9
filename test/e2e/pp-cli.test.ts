/**
 * `pp send`, `status` and `redrive` end to end against a booted local runtime, through the
 * path a deployed stack takes: CloudFormation DescribeStacks at the endpoint → outputs → SQS
 * and DynamoDB calls to the same endpoint with the SDK.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStacksCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlagTable, MessageAttribute, TaskTable, WatchTable } from '../../functions/contract';
import { sqsSendPort } from '../../functions/lib/aws/sqs-send-port';
import { awsClients, type AwsClients } from '../../cli/aws/target';
import { runRedrive } from '../../cli/commands/redrive';
import { runSend } from '../../cli/commands/send';
import { runStatus, statusSnapshot } from '../../cli/commands/status';
import { redrive } from '../../cli/redrive/redrive';
import { urlOfArn } from '../../cli/status/queues';
import { renderStatus } from '../../cli/status/render';
import { parseInput } from '../../cli/send/input';
import { checkSource, fileSource } from '../../cli/send/source';
import { SendJournal } from '../../cli/send/journal';
import { sendLines } from '../../cli/send/send';
import { startE2ERuntime, type E2ERuntime } from '../helpers/e2e-runtime';
import { PP_CLI_STACK, PpCliOutput, ppCliStack } from './pp-cli-fixtures/stack';

let e2e: E2ERuntime;
let clients: AwsClients;
const dir = mkdtempSync(join(tmpdir(), 'pp-cli-'));
const printed: string[] = [];
const context = () => ({ clients, print: (line: string) => void printed.push(line) });
const target = { stack: PP_CLI_STACK };

beforeAll(async () => {
  e2e = await startE2ERuntime({ define: ppCliStack });
  const { runtime } = e2e;
  clients = awsClients({ endpoint: runtime.endpoint, region: runtime.region, credentials: runtime.driverCredentials() });
}, 300_000);

afterAll(async () => {
  clients?.destroy();
  await e2e?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `work` while the runtime's manual clock moves a second at a time: redrive's receives
 * long-poll (WaitTimeSeconds 1) on the runtime clock, and its last, empty one ends only when
 * that clock passes its wait.
 */
async function whileClockRuns<T>(work: Promise<T>): Promise<T> {
  let done = false;
  const finished = work.finally(() => { done = true; });
  while (!done) {
    await e2e.clock.advance(1000);
    await Promise.race([finished.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 20))]);
  }
  return finished;
}

const bodiesIn = async (output: string): Promise<string[]> => (await e2e.runtime.sqs.inspect(e2e.runtime.queue(output).name)).map((m) => m.body).sort();
const jsonl = (name: string, items: readonly unknown[]): string => {
  const path = join(dir, name);
  writeFileSync(path, items.map((i) => JSON.stringify(i)).join('\n') + '\n\n');
  return path;
};

describe('pp against the local runtime', () => {
  it('DescribeStacks serves the stack\'s resolved outputs, refuses another stack and other operations', async () => {
    const out = await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: PP_CLI_STACK }));
    const outputs = new Map(out.Stacks?.[0]?.Outputs?.map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs.get(PpCliOutput.ingressUrl)).toBe(e2e.runtime.output(PpCliOutput.ingressUrl));
    expect(out.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === PpCliOutput.ingressDlqUrl)?.Description).toBe('Failed items');
    await expect(clients.cloudFormation.send(new DescribeStacksCommand({ StackName: 'Nope' }))).rejects.toThrow(/Stack with id Nope does not exist/);
    await expect(clients.cloudFormation.send(new ListStacksCommand({}))).rejects.toThrow(/CloudFormation ListStacks is not served locally \(only DescribeStacks\)/);
  });

  it('send delivers every line once, and a re-run sends nothing', async () => {
    const items = Array.from({ length: 25 }, (_, i) => ({ id: `a${i}` }));
    const file = jsonl('a.jsonl', items);
    expect(await runSend({ ...target, to: PpCliOutput.ingressUrl, file, concurrency: 3, progress: false }, context())).toBe(0);
    expect(await bodiesIn(PpCliOutput.ingressUrl)).toStrictEqual(items.map((i) => JSON.stringify(i)).sort());
    expect(await runSend({ ...target, to: PpCliOutput.ingressUrl, file, concurrency: 3, progress: false }, context())).toBe(0);
    expect(printed.at(-1)).toMatch(/^sent 0 of 25 lines to .* \(25 skipped: acknowledged by an earlier run\)$/);
    expect((await bodiesIn(PpCliOutput.ingressUrl)).length).toBe(25);
  });

  it('send resumes after an interrupt without sending an acknowledged line twice', async () => {
    const before = await bodiesIn(PpCliOutput.ingressUrl);
    const items = Array.from({ length: 30 }, (_, i) => ({ id: `b${i}` }));
    const file = jsonl('b.jsonl', items);
    const url = e2e.runtime.output(PpCliOutput.ingressUrl);
    const abort = new AbortController();
    const journal = SendJournal.open(`${file}.pp-journal`, url, (await checkSource(fileSource(file))).digest);
    // The interrupt comes after the first acknowledged batch: the other two are never started.
    const first = await sendLines({ lines: parseInput(readFileSync(file, 'utf8')), journal, port: sqsSendPort(url, clients.sqs), concurrency: 1, signal: abort.signal, onProgress: () => abort.abort() });
    expect([first.sent, first.interrupted]).toStrictEqual([10, true]);
    expect(await runSend({ ...target, to: PpCliOutput.ingressUrl, file, concurrency: 2, progress: false }, context())).toBe(0);
    expect(printed.at(-1)).toMatch(/^sent 20 of 30 lines .* \(10 skipped/);
    expect(await bodiesIn(PpCliOutput.ingressUrl)).toStrictEqual([...before, ...items.map((i) => JSON.stringify(i))].sort());
  });

  it('send streams a file larger than one window and delivers each line once', async () => {
    const before = (await bodiesIn(PpCliOutput.ingressUrl)).length;
    const items = Array.from({ length: 12_000 }, (_, i) => ({ id: `c${i}` }));
    const file = jsonl('c.jsonl', items);
    expect(await runSend({ ...target, to: PpCliOutput.ingressUrl, file, concurrency: 8, progress: false }, context())).toBe(0);
    expect(printed.at(-1)).toMatch(/^sent 12000 of 12000 lines/);
    const after = await bodiesIn(PpCliOutput.ingressUrl);
    expect(after.length - before).toBe(12_000);
    expect(new Set(after).size).toBe(after.length);
  });

  it('send to a FIFO queue takes the group id from a field, and refuses to guess one', async () => {
    const file = jsonl('fifo.jsonl', [{ customer: 'c1', n: 1 }, { customer: 'c2', n: 2 }]);
    expect(await runSend({ ...target, to: PpCliOutput.fifoUrl, file, concurrency: 4, groupField: 'customer', progress: false }, context())).toBe(0);
    expect((await bodiesIn(PpCliOutput.fifoUrl)).length).toBe(2);
    const other = jsonl('fifo2.jsonl', [{ n: 3 }]);
    await expect(runSend({ ...target, to: PpCliOutput.fifoUrl, file: other, concurrency: 4, progress: false }, context())).rejects.toThrow(/FIFO queue: pass --group-field/);
    await expect(runSend({ ...target, to: PpCliOutput.fifoUrl, file: other, concurrency: 4, groupField: 'customer', progress: false }, context())).rejects.toThrow(/line 1: field "customer" is missing/);
  });

  it('status shows each queue with its DLQ depth, flags and sweep lag, active polls, pending tasks and running executions', async () => {
    const dlq = e2e.runtime.output(PpCliOutput.ingressDlqUrl);
    const failed = [{ type: 'order', id: 1 }, { type: 'order', id: 2 }, { type: 'refund', id: 3 }];
    for (const body of failed) {
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: JSON.stringify(body), MessageAttributes: { [MessageAttribute.errorReason]: { DataType: 'String', StringValue: `bad ${body.type}` } } }));
    }
    const table = e2e.runtime.output(PpCliOutput.flagTableName);
    const now = 1_800_000_000_000;
    for (const [key, dueAt] of [['room-1', now - 90_000], ['room-2', now + 10_000]] as const) {
      await clients.dynamodb.send(new PutItemCommand({ TableName: table, Item: { [FlagTable.partitionKey]: { S: key }, [FlagTable.shardAttribute]: { N: '0' }, [FlagTable.dueAtAttribute]: { N: String(dueAt) } } }));
    }
    const watch = e2e.runtime.output(PpCliOutput.watchTableName);
    for (const id of ['job-1', 'job-2', WatchTable.cursorId]) await clients.dynamodb.send(new PutItemCommand({ TableName: watch, Item: { [WatchTable.partitionKey]: { S: id } } }));
    const tasks = e2e.runtime.output(PpCliOutput.taskTableName);
    for (const [id, deadline] of [['t1', now - 1], ['t2', now + 60_000], ['t3', now + 120_000]] as const) {
      await clients.dynamodb.send(new PutItemCommand({ TableName: tasks, Item: { [TaskTable.partitionKey]: { S: id }, [TaskTable.shardAttribute]: { N: '1' }, [TaskTable.deadlineAttribute]: { N: String(deadline) } } }));
    }
    // A finished task has left the pending index: it must not be counted.
    await clients.dynamodb.send(new PutItemCommand({ TableName: tasks, Item: { [TaskTable.partitionKey]: { S: 'done' } } }));
    const fanOut = e2e.runtime.output(PpCliOutput.fanOutArn);
    for (const name of ['e1', 'e2']) await clients.stepFunctions.send(new StartExecutionCommand({ stateMachineArn: fanOut, name, input: '{}' }));
    const snapshot = await statusSnapshot({ ...target, now: () => now }, context());
    const ingressName = e2e.runtime.queue(PpCliOutput.ingressUrl).name;
    expect(snapshot.queues.map((q) => [q.name, q.backlog, q.inFlight, q.deadLetter?.depth])).toStrictEqual([
      [ingressName, 12_055, 0, 3],
      [e2e.runtime.queue(PpCliOutput.fifoUrl).name, 2, 0, 0],
    ]);
    expect(snapshot.tables).toStrictEqual([
      { name: watch, output: PpCliOutput.watchTableName, kind: 'watch', count: 2 },
      { name: tasks, output: PpCliOutput.taskTableName, kind: 'task', count: 3, overdue: 1 },
      { name: table, output: PpCliOutput.flagTableName, kind: 'flag-set', count: 2, lagSeconds: 90 },
    ]);
    expect(snapshot.stateMachines).toStrictEqual([{ name: fanOut.split(':').pop(), output: PpCliOutput.fanOutArn, running: 2, recentFailed: 0, recentSucceeded: 0 }]);
    const screen = renderStatus(snapshot).join('\n');
    expect(screen).toMatch(/2 outstanding flags, sweep lag 90 s/);
    expect(screen).toMatch(/3 pending tasks, 1 past their deadline/);
    // The local runtime serves no CloudWatch: the age column stays empty and says why, once.
    expect(snapshot.oldestAges).toStrictEqual({ unavailable: expect.stringMatching(/service "monitoring" is not emulated locally/) });
    expect(screen.match(/oldest message age needs CloudWatch/g)).toHaveLength(1);
  });

  it('redrive with a filter moves only matching messages back to the source, and the rest stay visible', async () => {
    const before = await bodiesIn(PpCliOutput.ingressUrl);
    expect(await whileClockRuns(runRedrive({ ...target, from: PpCliOutput.ingressDlqUrl, filter: '{"type":["order"]}' }, context()))).toBe(0);
    expect(printed.at(-1)).toMatch(/^moved 2 message\(s\) from .*; 1 did not match and stay$/);
    expect(await bodiesIn(PpCliOutput.ingressUrl)).toStrictEqual([...before, '{"type":"order","id":1}', '{"type":"order","id":2}'].sort());
    const dlq = await e2e.runtime.sqs.depth(e2e.runtime.queue(PpCliOutput.ingressDlqUrl).name);
    expect(dlq).toStrictEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  it('redrive without a filter falls back to receive/send/delete where StartMessageMoveTask is not served', async () => {
    expect(await whileClockRuns(runRedrive({ ...target, from: PpCliOutput.ingressDlqUrl, rate: 100 }, context()))).toBe(0);
    expect(printed.slice(-2)).toStrictEqual([
      expect.stringMatching(/^moved 1 message\(s\) from .*; 0 did not match and stay$/),
      expect.stringMatching(/^\(receive\/send\/delete used: StartMessageMoveTask: /),
    ]);
    expect(await bodiesIn(PpCliOutput.ingressDlqUrl)).toStrictEqual([]);
    expect((await bodiesIn(PpCliOutput.ingressUrl)).filter((b) => b.includes('refund'))).toStrictEqual(['{"type":"refund","id":3}']);
  });

  it('redrive paces its moves to the rate: never ahead of moved / rate seconds', async () => {
    const dlq = e2e.runtime.output(PpCliOutput.ingressDlqUrl);
    for (let i = 0; i < 4; i++) await clients.sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: JSON.stringify({ type: 'order', id: 10 + i }) }));
    const sleeps: number[] = [];
    const report = await whileClockRuns(redrive({
      sqs: clients.sqs, fromUrl: dlq, urlOfArn: (arn) => urlOfArn(clients.sqs, arn), sourceArns: [e2e.runtime.queue(PpCliOutput.ingressUrl).arn],
      filter: { type: ['order'] }, rate: 2, now: () => 0, sleep: async (ms) => void sleeps.push(ms),
    }));
    expect(report).toStrictEqual({ mode: 'receive-send', moved: 4, kept: 0, noDestination: 0 });
    // On a clock that does not move, 4 messages at 2 per second are due 2 s after the start.
    expect(sleeps.reduce((latest, ms) => Math.max(latest, ms), 0)).toBe(2000);
  });

  it('status --watch refreshes one screen until stopped', async () => {
    const abort = new AbortController();
    const screens: string[] = [];
    const print = (line: string) => {
      if (line === '\u001b[2J\u001b[H') screens.push('');
      if (screens.length === 2) abort.abort();
    };
    expect(await runStatus({ ...target, watch: 0.01, signal: abort.signal }, { clients, print })).toBe(0);
    expect(screens).toHaveLength(2);
  });
});
