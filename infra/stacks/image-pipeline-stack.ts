/**
 * The image pipeline (docs/image-pipeline.md) from the library's constructs: a work-queue
 * manager lists the originals; a Sharder spreads them over two blur shards, each a FanOutFanIn
 * whose worker is a multi-worker (detect → blur) and whose join gates the finalizer; the
 * finalizer hands the blurred images to a Copier (→ delete originals, → recognition) and parks
 * the rest in a dead-letter queue; recognition is a second Sharder over two multi-worker
 * shards; a Reduce sums every image's partial into the batch's final count. The blur workers
 * also feed a Reduce of their own (plates blurred per run), final when each run's join declares
 * its count.
 */
import { App, AppProps, CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FanOutFanIn } from '../fan-out-fan-in';
import { functionEntry } from '../private/paths';
import { Reduce } from '../reduce';
import { Copier, CopierTransport } from '../routing/copier';
import { Sharder } from '../routing/sharder';
import { ReconcilerSource, SourceReconciler } from '../source-reconciler';
import { WorkQueue } from '../work-queue';

/** Stack outputs the demo script and the end-to-end test read. */
export const ImagePipelineOutput = {
  imageBucket: 'ImageBucket',
  reconcilerFunction: 'ReconcilerFunction',
  countsIngressUrl: 'CountsIngressUrl',
  countsFinalsUrl: 'CountsFinalsUrl',
  countsTable: 'CountsTable',
  blurStatsFinalsUrl: 'BlurStatsFinalsUrl',
  blurDeadLetterUrl: 'BlurDeadLetterUrl',
  blurResultsTable: (shard: number) => `BlurResultsTable${shard}`,
  blurStateMachine: (shard: number) => `BlurStateMachine${shard}`,
} as const;

/** Shards of the blur stage and of recognition. */
export const IMAGE_SHARDS = 2;

/** Receives before a message is parked: an injected crash or two must not park it. */
const RECEIVES = 8;

/** Timeout of every queue-driven function: short, so a crashed batch's messages (hidden for 6 × timeout) return soon. */
const TIMEOUT = Duration.seconds(10);

const encrypted = () => ({ encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });

/** Shard queues sized for their consumer (visibility 6 × its timeout), each with its dead-letter queue. */
function shardQueues(scope: Construct, id: string): { ingress: Queue; deadLetters: Queue }[] {
  return Array.from({ length: IMAGE_SHARDS }, (_, i) => {
    const deadLetters = new Queue(scope, `${id}${i}DeadLetters`, { ...encrypted(), retentionPeriod: Duration.days(14) });
    const ingress = new Queue(scope, `${id}${i}`, { ...encrypted(), visibilityTimeout: Duration.seconds(6 * TIMEOUT.toSeconds() + 1), deadLetterQueue: { queue: deadLetters, maxReceiveCount: RECEIVES } });
    return { ingress, deadLetters };
  });
}

/** The image pipeline stack. */
export class ImagePipelineStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const images = new Bucket(this, 'Images', { encryption: BucketEncryption.S3_MANAGED, blockPublicAccess: BlockPublicAccess.BLOCK_ALL, enforceSSL: true, removalPolicy: RemovalPolicy.RETAIN });
    const imageEnv = { PP_DEMO_IMAGE_BUCKET: images.bucketName };

    // The aggregate count of every image: one partial per image, wherever its processing ended.
    const countsFinals = new Queue(this, 'CountsFinals', encrypted());
    const counts = new Reduce(this, 'Counts', { merge: 'histogram', shards: 4, output: countsFinals, ingressMaxReceiveCount: RECEIVES, timeout: TIMEOUT });
    // Plates blurred per blur run, fed by the FanOutFanIn workers themselves.
    const blurStatsFinals = new Queue(this, 'BlurStatsFinals', encrypted());
    const blurStats = new Reduce(this, 'BlurStats', { merge: 'sum', shards: 2, output: blurStatsFinals, ingressMaxReceiveCount: RECEIVES, timeout: TIMEOUT });

    // Recognition: sharded, each shard a multi-worker (read plates → tag regions).
    const recognitionShards = shardQueues(this, 'RecognitionShard');
    const recognition = new Sharder(this, 'RecognitionShards', { key: 'id', shards: recognitionShards.map((s) => s.ingress), timeout: TIMEOUT });
    recognitionShards.forEach(({ ingress, deadLetters }, i) => {
      const shard = new WorkQueue(this, `Recognise${i}`, { ingress, ingressDeadLetterQueue: deadLetters, entry: functionEntry('demo', 'image-recognise.ts'), timeout: TIMEOUT, environment: { PP_DEMO_COUNTS_URL: counts.ingress.queueUrl } });
      counts.grantSend(shard.workerFunction);
    });
    const deleteOriginals = new WorkQueue(this, 'DeleteOriginals', { entry: functionEntry('demo', 'image-delete-original.ts'), environment: imageEnv, maxReceiveCount: RECEIVES, timeout: TIMEOUT });
    deleteOriginals.workerFunction.addToRolePolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [images.arnForObjects('originals/*')] }));
    const afterBlur = new Copier(this, 'AfterBlur', { transport: CopierTransport.QUEUE, outputs: [deleteOriginals.ingress, recognition.ingress], timeout: TIMEOUT });
    const blurDeadLetters = new Queue(this, 'BlurDeadLetters', { ...encrypted(), retentionPeriod: Duration.days(14) });

    // Blur: sharded; each shard's batches run as FanOutFanIn runs whose join gates the release.
    const blurShardQueues = shardQueues(this, 'BlurShard');
    const blurShards = new Sharder(this, 'BlurShards', { key: 'key', shards: blurShardQueues.map((s) => s.ingress), timeout: TIMEOUT });
    blurShardQueues.forEach(({ ingress, deadLetters }, i) => {
      const blur = new FanOutFanIn(this, `Blur${i}`, {
        workerEntry: functionEntry('demo', 'image-blur-worker.ts'),
        workerEnvironment: imageEnv,
        finalizerEntry: functionEntry('demo', 'image-release.ts'),
        finalizerEnvironment: { PP_DEMO_COPIER_URL: afterBlur.ingress!.queueUrl, PP_DEMO_BLUR_DLQ_URL: blurDeadLetters.queueUrl, PP_DEMO_COUNTS_URL: counts.ingress.queueUrl },
        mode: 'inline',
        maxConcurrency: 10,
        retryMaxAttempts: 5,
        // Failed images are routed one by one (kept, parked with the reason); the join is the barrier.
        toleratedFailurePercentage: 100,
        reduce: blurStats,
      });
      images.grantRead(blur.workerFunction, 'originals/*');
      images.grantPut(blur.workerFunction, 'blurred/*');
      afterBlur.grantSend(blur.finalizerFunction!);
      blurDeadLetters.grantSendMessages(blur.finalizerFunction!);
      counts.grantSend(blur.finalizerFunction!);
      const starter = new WorkQueue(this, `BlurStarter${i}`, { ingress, ingressDeadLetterQueue: deadLetters, entry: functionEntry('demo', 'image-blur-starter.ts'), timeout: TIMEOUT, batchSize: 10, maxBatchingWindow: Duration.seconds(1), environment: { PP_DEMO_BLUR_MACHINE_ARN: blur.stateMachine.stateMachineArn } });
      blur.grantStart(starter.workerFunction);
      new CfnOutput(this, ImagePipelineOutput.blurResultsTable(i), { value: blur.table.tableName });
      new CfnOutput(this, ImagePipelineOutput.blurStateMachine(i), { value: blur.stateMachine.stateMachineArn });
    });

    // The work-queue manager: lists the originals, sends each new one once.
    const manager = new SourceReconciler(this, 'Originals', { source: ReconcilerSource.s3Prefix(images, 'originals/'), output: blurShards.ingress, schedule: Schedule.rate(Duration.minutes(1)) });

    new CfnOutput(this, ImagePipelineOutput.imageBucket, { value: images.bucketName });
    new CfnOutput(this, ImagePipelineOutput.reconcilerFunction, { value: manager.reconcilerFunction.functionName });
    new CfnOutput(this, ImagePipelineOutput.countsIngressUrl, { value: counts.ingress.queueUrl });
    new CfnOutput(this, ImagePipelineOutput.countsFinalsUrl, { value: countsFinals.queueUrl });
    new CfnOutput(this, ImagePipelineOutput.countsTable, { value: counts.table.tableName });
    new CfnOutput(this, ImagePipelineOutput.blurStatsFinalsUrl, { value: blurStatsFinals.queueUrl });
    new CfnOutput(this, ImagePipelineOutput.blurDeadLetterUrl, { value: blurDeadLetters.queueUrl });
  }
}

/** An app holding the image pipeline stack. */
export function createImagePipelineApp(props: AppProps = {}): { app: App; stack: ImagePipelineStack } {
  const app = new App(props);
  return { app, stack: new ImagePipelineStack(app, 'PpImagePipeline') };
}
