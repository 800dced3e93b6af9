import type { PolicyEvaluator } from '../../iam';

/**
 * The callers the gateway knows: one per Lambda function (its own fake credentials, so every
 * request is attributed from the SigV4 header), plus the runtime's own `driver` (events sent
 * in) and `poller` (event source mappings). Unknown keys are `external` and unrestricted.
 */

/** Who a request is from. */
export interface Principal {
  /** The name requests are counted under: a function's or state machine's name, `driver`, `poller`. */
  readonly name: string;
  readonly kind: 'function' | 'state-machine' | 'driver' | 'poller' | 'service' | 'external';
  /** The ARN AWS would name in an AccessDenied message. */
  readonly arn: string;
  /** The principal's identity policies; absent means its requests are not checked. */
  readonly evaluator?: PolicyEvaluator;
}

/** Fake credentials handed to a caller. */
export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

const SECRET = 'local-runtime-secret';

/** Maps access key IDs to principals. */
export class PrincipalDirectory {
  private readonly byKey = new Map<string, Principal>();

  constructor() {
    this.register('driver', { name: 'driver', kind: 'driver', arn: 'arn:aws:iam::000000000000:user/driver' });
    this.register('poller', { name: 'poller', kind: 'poller', arn: 'arn:aws:iam::000000000000:role/event-source-mapping' });
    // AWS services acting for the stack: rule and schedule deliveries, Lambda's async DLQ, Step Functions tasks.
    for (const service of ['events', 'scheduler', 'lambda', 'states']) {
      this.register(service, { name: service, kind: 'service', arn: `arn:aws:iam::000000000000:role/${service}.amazonaws.com` });
    }
  }

  /** The access key ID of a function's credentials (it names the function). */
  public static functionKey(functionName: string): string {
    return `fn-${functionName}`;
  }

  /**
   * Registers a principal under an access key ID.
   *
   * @returns the credentials to give the caller
   */
  public register(accessKeyId: string, principal: Principal): LocalCredentials {
    this.byKey.set(accessKeyId, principal);
    return { accessKeyId, secretAccessKey: SECRET };
  }

  /** The credentials of an already registered key (`driver`, `poller`, a function's key). */
  public credentials(accessKeyId: string): LocalCredentials {
    return { accessKeyId, secretAccessKey: SECRET };
  }

  /** Every registered principal with its credentials (what `pp-local up` prints). */
  public list(): { principal: Principal; credentials: LocalCredentials }[] {
    return [...this.byKey].map(([accessKeyId, principal]) => ({ principal, credentials: this.credentials(accessKeyId) }));
  }

  /** The principal of an access key ID (`external` when unknown). */
  public lookup(accessKeyId: string): Principal {
    return this.byKey.get(accessKeyId) ?? { name: 'external', kind: 'external', arn: `arn:aws:iam::000000000000:user/${accessKeyId || 'anonymous'}` };
  }
}
