/**
 * Commands that talk to a running `pp-local up` (or any endpoint speaking the same APIs) with
 * the ordinary AWS SDK clients: send to a queue, invoke a function, start an execution, put
 * events. They sign as the runtime's `driver` unless `--access-key-id` names another principal.
 */
import { readFileSync } from 'node:fs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';

/** Where and as whom the commands connect. */
export interface ConnectionOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
}

/** The shared secret of every local principal (the gateway checks the key ID, not the signature). */
const LOCAL_SECRET = 'local-runtime-secret';

function config(o: ConnectionOptions) {
  return { endpoint: o.endpoint, region: o.region, credentials: { accessKeyId: o.accessKeyId, secretAccessKey: LOCAL_SECRET } };
}

function connected(cmd: Command): Command {
  return cmd
    .option('--endpoint <url>', 'the runtime endpoint', 'http://127.0.0.1:4566')
    .option('--region <region>', 'region', 'us-east-1')
    .option('--access-key-id <key>', 'the principal to act as (see the `up` banner)', 'driver');
}

/** Sends bodies to a queue in batches of 10; resolves with how many were sent. */
export async function sendBodies(o: ConnectionOptions, queueUrl: string, bodies: readonly string[]): Promise<number> {
  const sqs = new SQSClient(config(o));
  try {
    for (let i = 0; i < bodies.length; i += 10) {
      const entries = bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body }));
      const failed = (await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }))).Failed ?? [];
      if (failed.length > 0) throw new Error(`${failed.length} messages not sent: ${failed.map((f) => f.Message).join('; ')}`);
    }
    return bodies.length;
  } finally {
    sqs.destroy();
  }
}

/** Adds `send`, `invoke`, `start-execution` and `put-events` to the program. */
export function addClientCommands(cli: Command): void {
  connected(cli.command('send').description('send a body, or each line of a JSON-lines file, to a queue'))
    .requiredOption('--queue <url>', 'queue URL (printed by `up`)')
    .option('--body <text>', 'one message body')
    .option('--file <jsonl>', 'one message body per non-empty line')
    .action(async (o: ConnectionOptions & { queue: string; body?: string; file?: string }) => {
      const bodies = o.file ? readFileSync(o.file, 'utf8').split('\n').filter((l) => l.trim() !== '') : [o.body ?? '{}'];
      process.stdout.write(`sent ${await sendBodies(o, o.queue, bodies)}\n`);
    });
  connected(cli.command('invoke').description('invoke a function and print its response'))
    .requiredOption('--function <name>', 'function name or ARN')
    .option('--payload <json>', 'the event', '{}')
    .action(async (o: ConnectionOptions & { function: string; payload: string }) => {
      const lambda = new LambdaClient(config(o));
      try {
        const out = await lambda.send(new InvokeCommand({ FunctionName: o.function, Payload: Buffer.from(o.payload) }));
        process.stdout.write(`${Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')}\n`);
        if (out.FunctionError) process.exitCode = 1;
      } finally {
        lambda.destroy();
      }
    });
  connected(cli.command('start-execution').description('start a state machine execution and print its ARN'))
    .requiredOption('--state-machine <arn>', 'state machine ARN')
    .option('--input <json>', 'execution input', '{}')
    .action(async (o: ConnectionOptions & { stateMachine: string; input: string }) => {
      const sfn = new SFNClient(config(o));
      try {
        process.stdout.write(`${(await sfn.send(new StartExecutionCommand({ stateMachineArn: o.stateMachine, input: o.input }))).executionArn}\n`);
      } finally {
        sfn.destroy();
      }
    });
  connected(cli.command('put-events').description('put one event on an event bus'))
    .option('--bus <name>', 'event bus name', 'default')
    .requiredOption('--source <source>', 'event source')
    .requiredOption('--detail-type <type>', 'detail type')
    .option('--detail <json>', 'detail', '{}')
    .action(async (o: ConnectionOptions & { bus: string; source: string; detailType: string; detail: string }) => {
      const events = new EventBridgeClient(config(o));
      try {
        const out = await events.send(new PutEventsCommand({ Entries: [{ EventBusName: o.bus, Source: o.source, DetailType: o.detailType, Detail: o.detail }] }));
        process.stdout.write(`failed ${out.FailedEntryCount ?? 0}\n`);
        if ((out.FailedEntryCount ?? 0) > 0) process.exitCode = 1;
      } finally {
        events.destroy();
      }
    });
}
