/**
 * Wires the template's `AWS::StepFunctions::StateMachine` resources into the local Step
 * Functions service: Lambda tasks run on the runtime's Lambda host, other optimized and AWS
 * SDK integrations (`sqs:sendMessage`, `dynamodb:putItem`, `aws-sdk:sqs:sendMessageBatch`…)
 * go through the gateway as the state machine itself, so its role's policies are enforced
 * and its requests counted under its name.
 */
import type { Clock } from '../../scheduling/clock';
import type { PolicyEvaluator } from '../../iam';
import { functionArnOf, LocalStateMachines, type TaskCaller, TaskFailure, TerminalTaskFailure } from '../../stepfunctions';
import type { LocalAwsClient } from '../gateway/local-client';
import type { Principal } from '../gateway/principals';
import type { RoleAuthorizer } from '../iam/authorizer';
import type { LambdaRegistry } from '../lambda/lambda-registry';
import type { S3Access } from '../../stepfunctions/item-reader';
import { definitionWarnings } from '../../stepfunctions/definition-warnings';
import type { ResourceCatalog } from '../template/catalog';
import { serveIntegration } from './integrations';

/** Collaborators of {@link startStateMachines}. */
export interface StateMachineDeps {
  readonly catalog: ResourceCatalog;
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  readonly lambdas: LambdaRegistry;
  /** Registers a caller with the gateway and returns its client (one per state machine). */
  readonly callerClient: (accessKeyId: string, principal: Principal) => LocalAwsClient;
  readonly authorizer: RoleAuthorizer;
  /** Sleep retry intervals in wall time (`npm start`) instead of retrying at once (tests). */
  readonly realRetryIntervals: boolean;
  /** An S3 client through the gateway for a caller key (ItemReader, ResultWriter). @default - no S3: such states fail */
  readonly s3Client?: (accessKeyId: string) => S3Access;
  /** Where boot warnings go (features of a definition the local runtime does not evaluate). @default - dropped */
  readonly warnings?: string[];
}

function substitute(definition: string, substitutions: unknown): string {
  const values = (substitutions ?? {}) as Record<string, unknown>;
  return definition.replace(/\$\{([^}]+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** The role check of a task: throws the AccessDenied failure Step Functions reports. */
function checkRole(evaluator: PolicyEvaluator | undefined, roleArn: string, action: string, resource: string): void {
  if (evaluator && !evaluator.isAllowed(action, resource, { 'aws:SecureTransport': 'true' })) {
    // What Step Functions reports when its role may not invoke the function.
    const cause = `User: ${roleArn} is not authorized to perform: ${action} on resource: ${resource} (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException)`;
    throw new TaskFailure('Lambda.AWSLambdaException', cause);
  }
}

/** A state machine's identity: the role its tasks run with, and its client through the gateway. */
interface MachineIdentity {
  readonly roleArn: string;
  readonly evaluator: PolicyEvaluator | undefined;
  readonly client: LocalAwsClient;
  readonly s3?: S3Access;
}

function identityOf(caller: TaskCaller, identities: ReadonlyMap<string, MachineIdentity>): MachineIdentity {
  const identity = identities.get(caller.stateMachineArn);
  // Every machine is registered below; an unknown caller would be a wiring bug, never a user error.
  if (!identity) throw new TerminalTaskFailure('States.Runtime', `state machine ${caller.stateMachineArn} is not part of the stack`);
  return identity;
}

function s3Of(caller: TaskCaller, identities: ReadonlyMap<string, MachineIdentity>): S3Access {
  const { s3 } = identityOf(caller, identities);
  if (!s3) throw new TerminalTaskFailure('States.Runtime', 'S3 is not served by this local runtime');
  return s3;
}

/**
 * One service for all the stack's state machines: each task names its calling machine, whose
 * own role is checked (`lambda:InvokeFunction`) and whose own client makes its service calls.
 */
export function startStateMachines(deps: StateMachineDeps): LocalStateMachines {
  const identities = new Map<string, MachineIdentity>();
  const machines = new LocalStateMachines({
    region: deps.region,
    accountId: deps.accountId,
    clock: deps.clock,
    retryIntervals: deps.realRetryIntervals ? 'real' : 'immediate',
    invokeLambda,
    invokeService: (resource, parameters, caller) => serveIntegration(resource, parameters, {
      client: identityOf(caller, identities).client,
      invokeLambda: (name, payload) => invokeLambda(functionArnOf(name, deps.region, deps.accountId), payload, caller),
      waitForExecution: (arn) => machines.waitForExecution(arn),
    }),
    s3: {
      getObject: (bucket, key, caller) => s3Of(caller, identities).getObject(bucket, key, caller),
      listObjects: (bucket, prefix, caller) => s3Of(caller, identities).listObjects(bucket, prefix, caller),
      putObject: (bucket, key, body, caller) => s3Of(caller, identities).putObject(bucket, key, body, caller),
    },
  });
  function invokeLambda(arn: string, payload: unknown, caller: TaskCaller): Promise<unknown> {
    const { evaluator, roleArn } = identityOf(caller, identities);
    checkRole(evaluator, roleArn, 'lambda:InvokeFunction', arn);
    return deps.lambdas.invoke(arn, payload);
  }
  for (const [logicalId] of deps.catalog.ofType('AWS::StepFunctions::StateMachine')) {
    const p = deps.catalog.properties(logicalId);
    const roleArn = String(p.RoleArn ?? '');
    const evaluator = deps.authorizer(roleArn);
    const name = deps.catalog.physicalName(logicalId);
    const client = deps.callerClient(`sm-${name}`, { name, kind: 'state-machine', arn: `arn:aws:sts::${deps.accountId}:assumed-role/${roleArn.split('/').pop()}/${name}`, evaluator });
    const definition = typeof p.DefinitionString === 'string' ? substitute(p.DefinitionString, p.DefinitionSubstitutions) : (p.Definition as object);
    const type = typeof p.StateMachineType === 'string' ? p.StateMachineType : undefined;
    const arn = machines.register({ name, definition, stateMachineArn: String(deps.catalog.getAtt(logicalId, 'Arn')), roleArn, type });
    identities.set(arn, { roleArn, evaluator, client, s3: deps.s3Client?.(`sm-${name}`) });
    deps.warnings?.push(...definitionWarnings(definition).map((w) => `state machine ${logicalId}: ${w}`));
  }
  return machines;
}
