/**
 * Step Functions service integrations as AWS shapes them, on top of the gateway: the
 * optimized ones (`arn:aws:states:::sqs:sendMessage`, `sns:publish`, `dynamodb:*`,
 * `events:putEvents`, `states:startExecution[.sync[:2]]`) and the AWS SDK ones
 * (`arn:aws:states:::aws-sdk:<service>:<action>`).
 *
 * Optimized integrations serialize JSON objects given where the API takes a string
 * (`MessageBody`, `Message`, `Detail`, `Input`), and answer with the SDK's response plus
 * `SdkHttpMetadata`/`SdkResponseMetadata` (EventBridge without them). AWS SDK integrations
 * take and return the API's fields in PascalCase. Errors are `<Service>.<Code>` (AWS SDK:
 * the service in PascalCase, the code with an `Exception` suffix), so Retry/Catch match them.
 */
import { randomUUID } from 'node:crypto';
import { TaskFailure, TerminalTaskFailure } from '../../stepfunctions';
import type { ExecutionRecord } from '../../stepfunctions';
import { LocalCallError, type LocalAwsClient } from '../gateway/local-client';

/** A Task resource, parsed. */
interface Integration {
  /** The gateway service: `sqs`, `sns`, `dynamodb`, `events`, `states`, `lambda`. */
  readonly service: string;
  /** The API operation, e.g. `SendMessage`. */
  readonly operation: string;
  /** `aws-sdk:*` rather than an optimized integration. */
  readonly sdk: boolean;
  /** The prefix of the errors it raises, e.g. `SQS` or `Sqs`. */
  readonly errorPrefix: string;
  /** Run a job to completion (`.sync`), with the output as text or (`.sync:2`) as JSON. */
  readonly pattern: 'request-response' | 'sync' | 'sync:2';
}

/** What serving an integration needs. */
export interface IntegrationDeps {
  /** The calling state machine's client through the gateway. */
  readonly client: LocalAwsClient;
  /** Invokes a function as the calling state machine (its role checked); resolves with the result. */
  readonly invokeLambda: (functionName: string, payload: unknown) => Promise<unknown>;
  /** Resolves with an execution's record once it has finished. */
  readonly waitForExecution: (executionArn: string) => Promise<ExecutionRecord>;
}

const OPTIMIZED: Readonly<Record<string, [string, string]>> = {
  sqs: ['sqs', 'SQS'], sns: ['sns', 'SNS'], dynamodb: ['dynamodb', 'DynamoDB'], events: ['events', 'EventBridge'], states: ['states', 'StepFunctions'], lambda: ['lambda', 'Lambda'],
};
const SDK: Readonly<Record<string, [string, string]>> = {
  sqs: ['sqs', 'Sqs'], sns: ['sns', 'Sns'], dynamodb: ['dynamodb', 'DynamoDb'], eventbridge: ['events', 'EventBridge'], sfn: ['states', 'Sfn'], lambda: ['lambda', 'Lambda'],
};

/**
 * Parses a Task resource.
 * @throws TerminalTaskFailure (States.Runtime) for a service not served locally
 */
function parseIntegration(resource: string): Integration {
  const pattern = resource.endsWith('.sync:2') ? 'sync:2' : resource.endsWith('.sync') ? 'sync' : 'request-response';
  const parts = resource.replace(/\.sync(:2)?$/, '').split(':').slice(5);
  const sdk = parts[0] === 'aws-sdk';
  const [name = '', operation = ''] = sdk ? parts.slice(1) : parts;
  const known = (sdk ? SDK : OPTIMIZED)[name];
  if (!known) throw new TerminalTaskFailure('States.Runtime', `integration ${resource} is not served locally`);
  return { service: known[0], operation: operation.charAt(0).toUpperCase() + operation.slice(1), sdk, errorPrefix: known[1], pattern };
}

const asText = (v: unknown): unknown => (v === undefined || typeof v === 'string' ? v : JSON.stringify(v));

/** Optimized integrations' request shaping: JSON objects where the API takes a string are serialized. */
function shapeRequest(call: Integration, params: Record<string, unknown>): Record<string, unknown> {
  if (call.sdk) return params;
  const key = `${call.service}:${call.operation}`;
  if (key === 'sqs:SendMessage') return { ...params, MessageBody: asText(params.MessageBody) };
  if (key === 'sns:Publish') return { ...params, Message: asText(params.Message) };
  if (key === 'states:StartExecution') return { ...params, Input: asText(params.Input) };
  if (key === 'events:PutEvents' && Array.isArray(params.Entries)) {
    return { ...params, Entries: params.Entries.map((e: Record<string, unknown>) => ({ ...e, Detail: asText(e.Detail) })) };
  }
  return params;
}

/** What the Java SDK behind the older optimized integrations adds to every response. */
function sdkMetadata(): Record<string, unknown> {
  const requestId = randomUUID();
  const headers = { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': requestId };
  return {
    SdkHttpMetadata: { AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])), HttpHeaders: headers, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

const pascal = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);
const camel = (k: string) => k.charAt(0).toLowerCase() + k.slice(1);

/** Renames the keys of an object, one level deep (Step Functions' own API is camelCase). */
function renameKeys(value: Record<string, unknown>, rename: (k: string) => string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), v]));
}

/** SNS answers in XML: the leaf fields of its `<…Result>` element. */
function xmlResult(xml: string): Record<string, string> {
  const result = /<(\w+Result)>([\s\S]*?)<\/\1>/.exec(xml)?.[2] ?? '';
  return Object.fromEntries([...result.matchAll(/<(\w+)>([^<]*)<\/\1>/g)].map((m) => [m[1]!, m[2]!]));
}

/** SNS's query form: scalars as they are, `MessageAttributes` as numbered entries. */
function snsForm(operation: string, params: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = { Action: operation };
  for (const [key, value] of Object.entries(params)) {
    if (key === 'MessageAttributes' && value && typeof value === 'object') {
      Object.entries(value as Record<string, Record<string, string>>).forEach(([name, attr], i) => {
        const at = `MessageAttributes.entry.${i + 1}`;
        fields[`${at}.Name`] = name;
        for (const [field, v] of Object.entries(attr)) fields[`${at}.Value.${field}`] = String(v);
      });
    } else if (value !== undefined) {
      fields[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return fields;
}

async function callService(call: Integration, params: Record<string, unknown>, deps: IntegrationDeps): Promise<Record<string, unknown>> {
  if (call.service === 'sns') return xmlResult(await deps.client.callQuery('sns', snsForm(call.operation, params)));
  if (call.service === 'lambda') {
    const payload = typeof params.Payload === 'string' ? JSON.parse(params.Payload) : (params.Payload ?? {});
    try {
      return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: JSON.stringify(await deps.invokeLambda(String(params.FunctionName), payload)) };
    } catch (err) {
      // The Invoke API reports a function error in a successful response.
      const e = err as { errorType?: string; errorMessage?: string; trace?: readonly string[] };
      if (e.errorType === undefined) throw err;
      return { StatusCode: 200, ExecutedVersion: '$LATEST', FunctionError: 'Unhandled', Payload: JSON.stringify({ errorType: e.errorType, errorMessage: e.errorMessage, trace: e.trace ?? [] }) };
    }
  }
  if (call.service === 'states') {
    const out = await deps.client.call('states', call.operation, renameKeys(params, camel));
    return renameKeys(out, pascal);
  }
  return deps.client.call(call.service, call.operation, params);
}

async function runToCompletion(call: Integration, started: Record<string, unknown>, deps: IntegrationDeps): Promise<Record<string, unknown>> {
  const r = await deps.waitForExecution(String(started.ExecutionArn));
  const output = call.pattern === 'sync:2' && r.output !== undefined ? JSON.parse(r.output) : r.output;
  const described = {
    ExecutionArn: r.executionArn, StateMachineArn: r.stateMachineArn, Name: r.name, Status: r.status,
    StartDate: r.startDate, StopDate: r.stopDate, Input: call.pattern === 'sync:2' ? JSON.parse(r.input) : r.input, InputDetails: { Included: true },
    ...(r.output === undefined ? {} : { Output: output, OutputDetails: { Included: true } }),
    ...(r.error === undefined ? {} : { Error: r.error }), ...(r.cause === undefined ? {} : { Cause: r.cause }),
  };
  if (r.status !== 'SUCCEEDED') throw new TaskFailure('States.TaskFailed', JSON.stringify(described));
  return described;
}

function shapeResponse(call: Integration, out: Record<string, unknown>): Record<string, unknown> {
  if (call.sdk) return out;
  let shaped = out;
  // Step Functions' JSON API dates are epoch seconds; its optimized integration reports milliseconds.
  if (call.service === 'states' && typeof out.StartDate === 'number' && call.pattern === 'request-response') shaped = { ...out, StartDate: Math.round(out.StartDate * 1000) };
  return call.service === 'events' ? shaped : { ...shaped, ...sdkMetadata() };
}

function integrationFailure(call: Integration, err: unknown): unknown {
  if (!(err instanceof LocalCallError)) return err;
  const code = err.code.replace(/^.*#/, '').replace(/^AWS\.SimpleQueueService\./, '').replace(/;.*$/, '');
  const name = call.sdk && !code.endsWith('Exception') ? `${code}Exception` : code;
  return new TaskFailure(`${call.errorPrefix}.${name}`, `${err.message} (Service: ${call.errorPrefix}; Status Code: ${err.status}; Error Code: ${code})`, { cause: err });
}

/**
 * Serves a Task's integration as the calling state machine.
 *
 * @param resource the Task's Resource
 * @param parameters its resolved Parameters
 * @param deps the machine's client, Lambda invoker and execution waiter
 */
export async function serveIntegration(resource: string, parameters: unknown, deps: IntegrationDeps): Promise<unknown> {
  const call = parseIntegration(resource);
  const params = shapeRequest(call, (parameters ?? {}) as Record<string, unknown>);
  try {
    const out = await callService(call, params, deps);
    if (call.service === 'states' && call.operation === 'StartExecution' && call.pattern !== 'request-response') return { ...(await runToCompletion(call, out, deps)), ...(call.sdk ? {} : sdkMetadata()) };
    return shapeResponse(call, out);
  } catch (err) {
    throw integrationFailure(call, err);
  }
}
