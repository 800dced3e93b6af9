/**
 * The document-intelligence demo: documents under a prefix of a source
 * bucket → a Distributed Map listing them (ItemReader) in batches → the analysing worker with
 * injected flaky failures → validated findings → the join's combined report.
 */
import { App, AppProps, CfnOutput, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { FanOutFanIn } from '../fan-out-fan-in';
import { functionEntry } from '../private/paths';

/** Stack outputs the demo script and the end-to-end test read. */
export const FanOutDemoOutput = {
  stateMachineArn: 'StateMachineArn',
  sourceBucket: 'SourceBucket',
  resultBucket: 'ResultBucket',
  resultsTable: 'ResultsTable',
} as const;

/** Props of {@link FanOutDemoStack}. */
export interface FanOutDemoStackProps extends StackProps {
  /** Percent of documents whose first attempt fails (0–100). @default 20 */
  readonly flakyPercent?: number;
}

/** The demo stack. */
export class FanOutDemoStack extends Stack {
  /** The fan-out / fan-in. */
  public readonly documents: FanOutFanIn;

  constructor(scope: Construct, id: string, props: FanOutDemoStackProps = {}) {
    super(scope, id, props);
    const source = new Bucket(this, 'Documents', { encryption: BucketEncryption.S3_MANAGED, blockPublicAccess: BlockPublicAccess.BLOCK_ALL, enforceSSL: true, versioned: true, removalPolicy: RemovalPolicy.RETAIN });
    Validations.of(source).acknowledge({ id: 'AwsSolutions-S1', reason: 'A demo inbox written by the demo script only; enable CloudTrail data events for an audit trail in production.' });
    this.documents = new FanOutFanIn(this, 'DocumentAnalysis', {
      workerEntry: functionEntry('demo', 'doc-worker.ts'),
      joinEntry: functionEntry('demo', 'doc-join.ts'),
      mode: 'distributed',
      itemSource: 'prefix',
      sourceBucket: source,
      batchMaxItems: 4,
      maxConcurrency: 8,
      retryMaxAttempts: 4,
      // The Map Run counts every item of a failed batch of 4 as failed (AWS's rule), so one corrupt
      // document in 13 is ~30 % of items at that level; the join's own check counts the items themselves.
      toleratedFailurePercentage: 35,
      workerEnvironment: { PP_DEMO_SOURCE_BUCKET: source.bucketName, PP_DEMO_FLAKY_PERCENT: String(props.flakyPercent ?? 20) },
    });
    new CfnOutput(this, FanOutDemoOutput.stateMachineArn, { value: this.documents.stateMachine.stateMachineArn });
    new CfnOutput(this, FanOutDemoOutput.sourceBucket, { value: source.bucketName });
    new CfnOutput(this, FanOutDemoOutput.resultBucket, { value: this.documents.resultBucket.bucketName });
    new CfnOutput(this, FanOutDemoOutput.resultsTable, { value: this.documents.table.tableName });
  }
}

/** An app holding the demo stack, with cdk-nag's AWS Solutions checks (a finding fails the synth). */
export function createFanOutDemoApp(props: AppProps = {}, stackProps: FanOutDemoStackProps = {}): { app: App; stack: FanOutDemoStack } {
  const app = new App(props);
  const stack = new FanOutDemoStack(app, 'PpFanOutDemo', stackProps);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
