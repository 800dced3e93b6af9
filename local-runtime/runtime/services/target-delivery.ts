/**
 * Delivers the input of a fired schedule or a matched EventBridge rule to its target — an SQS
 * queue (SendMessage), a Lambda function (Event invoke) or a state machine (StartExecution) —
 * after checking the role the service assumes allows it, as AWS does.
 */
import type { DeliverFn, DeliveryDetails } from '../../scheduling/delivery';
import { AccessDeniedError, LocalRuntimeError } from '../errors';
import type { LocalAwsClient } from '../gateway/local-client';
import { ResourcePolicySet, type ResourceStatement } from '../../iam';
import type { RoleAuthorizer } from '../iam/authorizer';
import { statementsOf } from '../iam/resource-policies';
import type { LambdaRegistry } from '../lambda/lambda-registry';

/** Collaborators of {@link targetDelivery}. */
export interface TargetDeliveryDeps {
  /** Clients through the gateway, one per delivering service (`scheduler`, `events`). */
  readonly clients: Readonly<Record<DeliveryDetails['source'], LocalAwsClient>>;
  readonly lambdas: LambdaRegistry;
  readonly authorizer: RoleAuthorizer;
  /** Checked for rule deliveries to queues and functions (as `events.amazonaws.com`). @default - not checked */
  readonly resourcePolicies?: ResourcePolicySet;
  /**
   * The `Policy` document of a queue created at run time (by name), checked like the
   * template's queue policies. @default - run-time queues admit no rule
   */
  readonly runtimeQueuePolicy?: (name: string) => Promise<string | undefined>;
}

function actionFor(service: string): string {
  return { sqs: 'sqs:SendMessage', lambda: 'lambda:InvokeFunction', states: 'states:StartExecution' }[service] ?? `${service}:*`;
}

function parsed(input: string): unknown {
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

/**
 * A rule reaches a queue or function only when its policy lets `events.amazonaws.com` in for
 * this rule (the queue policy or Lambda permission CDK adds with the target), as on AWS.
 */
async function checkServiceGrant(deps: TargetDeliveryDeps, action: string, targetArn: string, sourceArn: string): Promise<void> {
  if (!deps.resourcePolicies) return;
  const [, , service, , accountId = '', name = ''] = targetArn.split(':');
  const runtimePolicy = service === 'sqs' ? await deps.runtimeQueuePolicy?.(name) : undefined;
  const policies = runtimePolicy === undefined ? deps.resourcePolicies : runtimeQueuePolicySet(name, targetArn, runtimePolicy);
  const decision = policies.evaluate({ kind: 'service', service: 'events.amazonaws.com' }, action, targetArn, { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': accountId, 'aws:SecureTransport': 'true' });
  if (decision?.decision !== 'Allow') throw new AccessDeniedError('events.amazonaws.com', action, targetArn);
}

/** A run-time queue's `Policy` attribute as a policy set of its own (unparseable: admits nothing). */
function runtimeQueuePolicySet(name: string, queueArn: string, document: string): ResourcePolicySet {
  let statements: ResourceStatement[] = [];
  try {
    statements = statementsOf(JSON.parse(document));
  } catch {
    // SetQueueAttributes validates the document on AWS; an unreadable one grants nothing here.
  }
  return new ResourcePolicySet([{ name: `queue ${name} (Policy attribute)`, type: 'AWS::SQS::Queue', attachedTo: [queueArn], statements }]);
}

/**
 * Builds the runtime's {@link DeliverFn}.
 *
 * @throws (from the returned function) AccessDeniedError when the role may not call the target,
 *   or the target's error
 */
export function targetDelivery(deps: TargetDeliveryDeps): DeliverFn {
  return async (targetArn, input, roleArn, details) => {
    const service = targetArn.split(':')[2] ?? '';
    const evaluator = roleArn ? deps.authorizer(roleArn) : undefined;
    if (evaluator && !evaluator.isAllowed(actionFor(service), targetArn, { 'aws:SecureTransport': 'true' })) throw new AccessDeniedError(roleArn!, actionFor(service), targetArn);
    if (details.source === 'events' && (service === 'sqs' || service === 'lambda')) await checkServiceGrant(deps, actionFor(service), targetArn, details.sourceArn);
    const client = deps.clients[details.source];
    if (service === 'sqs') {
      const [, , , region, account, name] = targetArn.split(':');
      const QueueUrl = `https://sqs.${region}.amazonaws.com/${account}/${name}`;
      await client.call('sqs', 'SendMessage', { QueueUrl, MessageBody: input, ...(details.messageGroupId ? { MessageGroupId: details.messageGroupId } : {}) });
    } else if (service === 'lambda') {
      deps.lambdas.invokeAsync(targetArn, parsed(input));
    } else if (service === 'states') {
      await client.call('states', 'StartExecution', { stateMachineArn: targetArn, input });
    } else {
      throw new LocalRuntimeError(`target ${targetArn}: ${service} targets are not emulated locally`);
    }
  };
}
