/**
 * Physical names for resources whose template leaves them unnamed, generated the way
 * CloudFormation does: `StackName-LogicalId-RANDOMSUFFIX`, shortened to the service's limit.
 */
import { hashToken } from '../random';

/** How a resource type's generated name is shaped. */
export interface NameRule {
  /** The longest name the service accepts. */
  readonly maxLength: number;
  /** A suffix the name must end with (FIFO queues: `.fifo`). @default - none */
  readonly suffix?: string;
  /** Length of the random part. @default 12 */
  readonly randomLength?: number;
  /** The service accepts lower case only (S3 buckets). @default false */
  readonly lowercase?: boolean;
}

/**
 * Generates a CloudFormation-style physical name.
 *
 * @param stackName the stack name
 * @param logicalId the resource's logical ID
 * @param seed the run's seed (same seed, same names)
 * @param rule the type's length limit and suffix
 */
export function generatePhysicalName(stackName: string, logicalId: string, seed: string, rule: NameRule): string {
  const suffix = rule.suffix ?? '';
  const random = hashToken(rule.randomLength ?? 12, seed, 'name', stackName, logicalId);
  const budget = rule.maxLength - random.length - suffix.length - 2;
  let stack = stackName;
  let logical = logicalId;
  // CloudFormation trims the stack name first, then the logical ID, keeping both readable.
  if (stack.length + logical.length > budget) stack = stack.slice(0, Math.max(0, budget - logical.length, Math.floor(budget / 2)));
  if (stack.length + logical.length > budget) logical = logical.slice(0, Math.max(0, budget - stack.length));
  const name = `${stack}-${logical}-${random}${suffix}`;
  return rule.lowercase ? name.toLowerCase() : name;
}
