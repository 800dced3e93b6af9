/**
 * The seam between the scheduling modules and the runtime that owns the targets: schedules
 * and rules never call SQS, Lambda or Step Functions themselves, they call a {@link DeliverFn}.
 */

/** Where a delivery comes from, for routing, accounting and logs. */
export interface DeliveryDetails {
  /** `scheduler` for EventBridge Scheduler schedules, `events` for EventBridge rules. */
  readonly source: 'scheduler' | 'events';
  /** The ARN of the schedule or rule that fired. */
  readonly sourceArn: string;
  /** SQS FIFO targets: the message group id (`SqsParameters.MessageGroupId`). */
  readonly messageGroupId?: string;
  /** The time the schedule was due (epoch ms), for scheduled deliveries. */
  readonly scheduledTime?: number;
}

/**
 * Delivers `input` to the target: an SQS queue ARN (SendMessage), a Lambda function ARN
 * (asynchronous invoke) or a state machine ARN (StartExecution). `roleArn` is the role the
 * service assumes to do it (absent for rule targets that need none). A rejection is a failed
 * delivery.
 */
export type DeliverFn = (targetArn: string, input: string, roleArn: string | undefined, details: DeliveryDetails) => Promise<void>;

/** The account and region the local services name their ARNs with. */
export interface LocalAccount {
  /**
   * AWS region.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Twelve-digit account id.
   * @default '000000000000'
   */
  readonly accountId?: string;
}

/** `{ region, accountId }` with the defaults filled in. */
export function resolveAccount(account: LocalAccount = {}): Required<LocalAccount> {
  return { region: account.region ?? 'us-east-1', accountId: account.accountId ?? '000000000000' };
}
