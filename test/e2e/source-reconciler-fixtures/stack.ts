/** The end-to-end stack of SourceReconciler: an S3 prefix reconciled every minute into a queue the test reads. */
import { CfnOutput, Duration, RemovalPolicy, Stack, type App } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { ReconcilerSource, SourceReconciler } from '../../../infra/source-reconciler';

/** Output names of the stack. */
export const ReconcilerOutput = { bucketName: 'BucketName', workUrl: 'WorkUrl' } as const;

/** Adds the stack to `app`. */
export function reconcilerStack(app: App, id = 'ReconcilerE2E'): Stack {
  const stack = new Stack(app, id);
  const bucket = new Bucket(stack, 'Uploads', { enforceSSL: true, encryption: BucketEncryption.S3_MANAGED, blockPublicAccess: BlockPublicAccess.BLOCK_ALL, removalPolicy: RemovalPolicy.DESTROY });
  // Not consumed: the test reads what the reconciler enqueued.
  const work = new Queue(stack, 'Work', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
  new SourceReconciler(stack, 'Incoming', { source: ReconcilerSource.s3Prefix(bucket, 'incoming/'), output: work, schedule: Schedule.rate(Duration.minutes(1)) });
  new CfnOutput(stack, ReconcilerOutput.bucketName, { value: bucket.bucketName });
  new CfnOutput(stack, ReconcilerOutput.workUrl, { value: work.queueUrl });
  return stack;
}
