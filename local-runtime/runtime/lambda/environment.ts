/**
 * A function's `process.env` in the local runtime: the template's `Environment.Variables`
 * (references resolved to local names and URLs) plus the variables the Lambda runtime sets,
 * with the endpoint and credentials pointing the AWS SDK at the gateway.
 */
import type { LocalCredentials } from '../gateway/principals';

/** What the environment is built from. */
export interface EnvironmentInputs {
  readonly functionName: string;
  readonly region: string;
  readonly memoryMb: number;
  /** The gateway's origin. */
  readonly endpoint: string;
  readonly credentials: LocalCredentials;
  /** The template's resolved `Environment.Variables`. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** The handler string, e.g. `index.handler`. */
  readonly handler: string;
  /** The Lambda runtime identifier, e.g. `nodejs24.x`. */
  readonly runtime: string;
}

/**
 * Builds the environment. The template's variables come first and the runtime's reserved
 * ones win over them, as Lambda refuses to let a function override those.
 */
export function functionEnvironment(inputs: EnvironmentInputs): Record<string, string> {
  const user = Object.fromEntries(Object.entries(inputs.variables).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: 'UTC',
    ...user,
    AWS_REGION: inputs.region,
    AWS_DEFAULT_REGION: inputs.region,
    AWS_ACCESS_KEY_ID: inputs.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: inputs.credentials.secretAccessKey,
    AWS_ENDPOINT_URL: inputs.endpoint,
    AWS_LAMBDA_FUNCTION_NAME: inputs.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(inputs.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${inputs.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'local',
    AWS_EXECUTION_ENV: `AWS_Lambda_${inputs.runtime}`,
    _HANDLER: inputs.handler,
    // The SDK's Node 20 end-of-support notice is noise in every sandbox's log.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
