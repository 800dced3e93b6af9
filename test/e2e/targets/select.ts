/**
 * Which stack the demo's end-to-end suite runs against: the deployed stack named by
 * `PP_STACK_OUTPUTS` (see `localstack/README.md`), or else the embedded runtime
 * booted from a freshly synthesized demo assembly.
 */
import { readFileSync } from 'node:fs';
import { DemoOutput } from '../../../functions/contract';
import { loadDeployedStack, StackOutputsError } from '../../../localstack/stack-outputs';
import { startDeployedDemo } from './deployed';
import { startEmbeddedDemo, type EmbeddedOptions } from './embedded';
import { urlList } from './outputs';
import type { DemoResources, DemoTarget, SdkClientConfig } from './types';

type Env = Readonly<Record<string, string | undefined>>;

/** A deployed demo stack, as its outputs and the environment describe it. */
export interface DeployedDemoSpec extends DemoResources {
  readonly kind: 'deployed';
  readonly stackName: string;
  /** SDK settings: `AWS_ENDPOINT_URL`, the region, credentials from the environment or the default chain. */
  readonly sdk: SdkClientConfig;
}

/** The selected target, before anything is started. */
export type DemoTargetSpec = { readonly kind: 'embedded' } | DeployedDemoSpec;

/** Options of {@link demoTarget}. */
export interface DemoTargetOptions {
  /**
   * The environment that selects the target (`PP_STACK_OUTPUTS`, `PP_STACK_NAME`,
   * `AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`…).
   * @default process.env
   */
  readonly env?: Env;
  /**
   * Options of the embedded runtime (faults, timeScale, seed); a deployed stack ignores them.
   * @default - no faults, real time scale
   */
  readonly embedded?: EmbeddedOptions;
}

const REQUIRED_OUTPUTS = [DemoOutput.ordersQueueUrl, DemoOutput.ordersTableName, DemoOutput.deadLetterQueueUrls, DemoOutput.pipelineQueueUrls];

/**
 * Selects the target from the environment, reading the outputs file if one is named. Queue URLs
 * (the ingress, every dead-letter queue, every queue of the pipeline) and the table name come
 * from the stack's outputs, never from a template.
 *
 * @throws StackOutputsError for an unusable outputs file or one that lacks demo outputs (all named)
 */
export function resolveDemoTarget(env: Env = process.env, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): DemoTargetSpec {
  const stack = loadDeployedStack(env, read);
  if (!stack) return { kind: 'embedded' };
  const missing = REQUIRED_OUTPUTS.filter((key) => typeof stack.outputs[key] !== 'string' || stack.outputs[key] === '');
  if (missing.length > 0) {
    throw new StackOutputsError(`stack "${stack.stackName}" in PP_STACK_OUTPUTS=${env.PP_STACK_OUTPUTS} lacks demo outputs ${missing.join(', ')} (it has: ${Object.keys(stack.outputs).join(', ') || 'none'})`);
  }
  const ingressQueueUrl = stack.outputs[DemoOutput.ordersQueueUrl]!;
  return {
    kind: 'deployed',
    stackName: stack.stackName,
    ingressQueueUrl,
    deadLetterQueueUrls: urlList(stack.outputs[DemoOutput.deadLetterQueueUrls]!),
    pipelineQueueUrls: urlList(stack.outputs[DemoOutput.pipelineQueueUrls]!),
    tableName: stack.outputs[DemoOutput.ordersTableName]!,
    sdk: { region: regionOf(env, ingressQueueUrl), endpoint: stack.endpoint, credentials: credentialsOf(env) },
  };
}

/**
 * Starts the selected demo target: connects to the deployed stack, or synthesizes and boots
 * the embedded one. The caller stops it.
 *
 * @throws StackOutputsError as {@link resolveDemoTarget}; the runtime's errors when booting fails
 */
export async function demoTarget(options: DemoTargetOptions = {}): Promise<DemoTarget> {
  const spec = resolveDemoTarget(options.env ?? process.env);
  return spec.kind === 'deployed' ? startDeployedDemo(spec) : startEmbeddedDemo(options.embedded);
}

/** `AWS_REGION`, `AWS_DEFAULT_REGION`, the region in an SQS URL's host, or us-east-1. */
function regionOf(env: Env, queueUrl: string): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || /^https?:\/\/sqs\.([a-z0-9-]+)\./.exec(queueUrl)?.[1] || 'us-east-1';
}

/** Static keys from the environment given (which may not be `process.env`), else the default chain. */
function credentialsOf(env: Env): SdkClientConfig['credentials'] {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}
