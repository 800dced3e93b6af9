/**
 * Where `pp` sends its AWS calls: AWS itself (default credential chain and region), LocalStack
 * or the local runtime (`--endpoint-url`). One set of clients per command run.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Static credentials (tests, the local runtime's driver keys). */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The endpoint, region and credentials of a command run. */
export interface AwsTarget {
  /** Region. @default - the SDK's default chain (AWS_REGION, profile) */
  readonly region?: string;
  /** Endpoint of every service (LocalStack, the local runtime). @default - AWS */
  readonly endpoint?: string;
  /** Credentials. @default - the SDK's default credential chain */
  readonly credentials?: StaticCredentials;
}

/** The clients a command uses. */
export interface AwsClients {
  readonly cloudFormation: CloudFormationClient;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  readonly stepFunctions: SFNClient;
  readonly cloudWatch: CloudWatchClient;
  /** Closes every client's sockets. */
  destroy(): void;
}

/** Builds the clients of `target`. */
export function awsClients(target: AwsTarget): AwsClients {
  const config = {
    ...(target.region === undefined ? {} : { region: target.region }),
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
    ...(target.credentials === undefined ? {} : { credentials: target.credentials }),
  };
  const cloudFormation = new CloudFormationClient(config);
  // Local queue URLs name hosts that do not resolve (`sqs.<region>.localhost`): with an explicit
  // endpoint, every SQS call goes to it rather than to the queue URL's host.
  const sqs = new SQSClient({ ...config, ...(target.endpoint === undefined ? {} : { useQueueUrlAsEndpoint: false }) });
  const dynamodb = new DynamoDBClient(config);
  const stepFunctions = new SFNClient(config);
  // One attempt: where CloudWatch is not served, `pp status` shows no age rather than waiting on retries.
  const cloudWatch = new CloudWatchClient({ ...config, maxAttempts: 1 });
  return {
    cloudFormation, sqs, dynamodb, stepFunctions, cloudWatch,
    destroy: () => [cloudFormation, sqs, dynamodb, stepFunctions, cloudWatch].forEach((client) => client.destroy()),
  };
}
