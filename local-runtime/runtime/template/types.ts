/**
 * The subset of the CloudFormation template and cloud assembly shapes the local runtime reads.
 *
 * Values stay `unknown` until the intrinsic resolver has evaluated them: a template property
 * may be a literal or any intrinsic (`{ "Fn::GetAtt": [...] }`).
 */

/** One entry of a template's `Resources` section. */
export interface CfnResource {
  /** The resource type, e.g. `AWS::SQS::Queue`. */
  readonly Type: string;
  /** Its properties, unresolved. */
  readonly Properties?: Record<string, unknown>;
  /** Condition name guarding the resource. */
  readonly Condition?: string;
  /** Resource metadata (CDK writes `aws:asset:path` here). */
  readonly Metadata?: Record<string, unknown>;
}

/** One entry of a template's `Outputs` section. */
export interface CfnOutput {
  /** The output value, unresolved. */
  readonly Value: unknown;
  /** Export block (`{ Name }`), ignored locally. */
  readonly Export?: unknown;
  /** Condition name guarding the output. */
  readonly Condition?: string;
}

/** One entry of a template's `Parameters` section. */
export interface CfnParameter {
  /** The parameter type, e.g. `String` or `AWS::SSM::Parameter::Value<String>`. */
  readonly Type: string;
  /** The default value, when declared. */
  readonly Default?: unknown;
}

/** A synthesized CloudFormation template. */
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, CfnOutput>;
  readonly Parameters?: Record<string, CfnParameter>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

/** A stack of a cloud assembly with its template loaded. */
export interface StackArtifact {
  /** The artifact ID in `manifest.json`. */
  readonly artifactId: string;
  /** The CloudFormation stack name (`properties.stackName`, else the artifact ID). */
  readonly stackName: string;
  /** The construct path shown by the CDK CLI (`displayName`). */
  readonly displayName: string;
  /** The loaded template. */
  readonly template: CfnTemplate;
  /** Absolute path of the assembly directory (asset paths are relative to it). */
  readonly assemblyDir: string;
  /** Asset object key (e.g. `<hash>.zip`) → absolute path of the staged asset. */
  readonly assets: ReadonlyMap<string, string>;
}
