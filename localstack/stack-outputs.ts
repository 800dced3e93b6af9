/**
 * How the end-to-end suite finds a deployed stack (LocalStack, or AWS): the outputs file
 * `cdk deploy --outputs-file` wrote (`PP_STACK_OUTPUTS`) and the endpoint to call
 * (`AWS_ENDPOINT_URL`). Without `PP_STACK_OUTPUTS` the suite runs on the embedded runtime.
 */
import { readFileSync } from 'node:fs';
import { LocalRuntimeError } from '../local-runtime/scheduling/errors';

/** The outputs file or the environment naming it is unusable. */
export class StackOutputsError extends LocalRuntimeError {}

/** A deployed stack the end-to-end suite can be pointed at. */
export interface DeployedStack {
  /** The stack whose outputs were picked. */
  readonly stackName: string;
  /** Its CloudFormation outputs, by output key. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Where the AWS SDK clients send requests (`AWS_ENDPOINT_URL`); undefined means real AWS. */
  readonly endpoint?: string;
}

/**
 * Reads the deployed stack named by the environment, or undefined when `PP_STACK_OUTPUTS`
 * is not set. `PP_STACK_NAME` picks a stack when the file holds several.
 * @throws StackOutputsError naming every problem (unreadable file, unknown or ambiguous stack)
 */
export function loadDeployedStack(env: Readonly<Record<string, string | undefined>> = process.env, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): DeployedStack | undefined {
  const file = env.PP_STACK_OUTPUTS;
  if (!file) return undefined;
  let all: Record<string, Record<string, string>>;
  try {
    all = JSON.parse(read(file));
  } catch (err) {
    throw new StackOutputsError(`PP_STACK_OUTPUTS=${file} is not a readable outputs JSON file: ${(err as Error).message}`, { cause: err });
  }
  const names = Object.keys(all ?? {});
  const wanted = env.PP_STACK_NAME;
  const stackName = wanted ?? (names.length === 1 ? names[0] : undefined);
  if (!stackName || !Object.hasOwn(all, stackName)) {
    const why = wanted ? `has no stack "${wanted}"` : `holds ${names.length} stacks`;
    throw new StackOutputsError(`PP_STACK_OUTPUTS=${file} ${why} (stacks: ${names.join(', ') || 'none'}); set PP_STACK_NAME to one of them`);
  }
  return { stackName, outputs: all[stackName], endpoint: env.AWS_ENDPOINT_URL || undefined };
}
