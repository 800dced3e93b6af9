import { Billing, TableEncryptionV2, TablePropsV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** What {@link secureTable} leaves to the caller: keys, indexes, TTL, removal policy. */
export type SecureTableOptions = Omit<TablePropsV2, 'billing' | 'encryption' | 'pointInTimeRecoverySpecification'>;

/**
 * A DynamoDB table with the house defaults every construct's table shares: on-demand billing
 * (bursty parallel work would throttle on a provisioned guess), encryption with the AWS-managed
 * key (no key to manage, and cdk-nag's DDB3/DDB4 rules hold), and point-in-time recovery.
 * No physical name: CloudFormation generates one, so two stacks never collide.
 *
 * @param scope the construct that owns the table
 * @param id the table's construct ID (a contract: renaming it replaces the table)
 * @param options keys, indexes, TTL and removal policy
 */
export function secureTable(scope: Construct, id: string, options: SecureTableOptions): TableV2 {
  return new TableV2(scope, id, {
    ...options,
    billing: Billing.onDemand(),
    encryption: TableEncryptionV2.awsManagedKey(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
}
