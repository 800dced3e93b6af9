/**
 * One cold start, in a fresh Node process: imports the handler bundle given as argv[2] and
 * invokes its `handler` once with the event in argv[3] (a JSON file), then writes
 * `{ loadMs, invokeMs, cpuMs, hrUs, result }` to fd 3 (`cpuMs`: this process's CPU time over both,
 * which a busy machine disturbs less than wall time; `hrUs`: the monotonic clock `--cpu-prof` stamps
 * samples with, in µs, at the start, after the import and after the invocation). Plain JavaScript so no loader runs in this process;
 * the handler's own logs go to stdout, which the bench drains, as Lambda's runtime does.
 */
import { readFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = {
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  awsRequestId: '8f5e2a1c-0000-4000-8000-000000000001',
  logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  logStreamName: 'cold',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
};

const hrUs = () => Number(process.hrtime.bigint() / 1000n);
const cpuStart = process.cpuUsage();
const hrStart = hrUs();
const start = performance.now();
const module = await import(pathToFileURL(bundle).href);
const loaded = performance.now();
const hrLoaded = hrUs();
let result;
try {
  result = { ok: await module.handler(event, context) };
} catch (error) {
  result = { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}
const invoked = performance.now();
const hrInvoked = hrUs();
const cpu = process.cpuUsage(cpuStart);
writeSync(3, JSON.stringify({ loadMs: loaded - start, invokeMs: invoked - loaded, cpuMs: (cpu.user + cpu.system) / 1000, hrUs: { start: hrStart, loaded: hrLoaded, invoked: hrInvoked }, result }));
process.exit(0);
