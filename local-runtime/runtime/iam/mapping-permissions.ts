/**
 * Lambda polls an SQS queue with the function's execution role: creating a mapping whose
 * role may not receive, delete and read the queue's attributes fails on AWS, so it fails here.
 */
import { ProvisioningError } from '../errors';
import type { SqsMappingSpec } from '../esm/sqs-poller';
import { PrincipalDirectory } from '../gateway/principals';

const POLLER_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];

/**
 * Checks every mapping's function role.
 * @throws ProvisioningError naming the mapping and the missing actions
 */
export function checkMappingPermissions(specs: readonly SqsMappingSpec[], principals: PrincipalDirectory): void {
  for (const spec of specs) {
    const evaluator = principals.lookup(PrincipalDirectory.functionKey(spec.functionName)).evaluator;
    const missing = evaluator ? POLLER_ACTIONS.filter((a) => !evaluator.isAllowed(a, spec.queueArn)) : [];
    if (missing.length > 0) {
      throw new ProvisioningError(spec.logicalId, `the execution role of ${spec.functionName} does not allow ${missing.join(', ')} on ${spec.queueArn} (AWS rejects this mapping)`);
    }
  }
}
