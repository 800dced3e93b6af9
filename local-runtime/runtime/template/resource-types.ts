/**
 * What the local runtime knows about each resource type: how its physical name is chosen,
 * what `Ref` returns, and which `Fn::GetAtt` attributes it answers.
 *
 * Types listed with `provisioned: false` are accepted and resolvable but need no local
 * counterpart (roles, policies, permissions, log groups); any type absent here is reported
 * at boot as not emulated, and references to it resolve to placeholders (`unemulated-types`).
 */
import type { NameRule } from './physical-names';

/** The facts a type's `Ref`/`GetAtt` values are computed from. */
export interface NamedResource {
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  /** The resolved properties (name, path, group…). */
  readonly props: Record<string, unknown>;
  /** Origin every local URL points at (the gateway), e.g. `http://127.0.0.1:4566`. */
  readonly endpoint: string;
}

/** How one resource type behaves locally. */
export interface ResourceType {
  /** The property holding an explicit physical name. */
  readonly nameProperty?: string;
  /** How a generated name is shaped. */
  readonly nameRule: NameRule | ((props: Record<string, unknown>) => NameRule);
  /** Whether the runtime creates something for it (else it is only resolvable). */
  readonly provisioned: boolean;
  /** The value of `Ref`. */
  readonly ref: (r: NamedResource) => string;
  /** `Fn::GetAtt` attributes. */
  readonly attributes: Record<string, (r: NamedResource) => string>;
}

const arn = (service: string, resource: string) => (r: NamedResource) => `arn:aws:${service}:${r.region}:${r.accountId}:${resource.replace('{name}', r.name)}`;
const byName = (r: NamedResource) => r.name;
const queueUrl = (r: NamedResource) => `${r.endpoint}/${r.accountId}/${r.name}`;
const isTrue = (v: unknown) => v === true || v === 'true';

const table: ResourceType = {
  nameProperty: 'TableName',
  nameRule: { maxLength: 255 },
  provisioned: true,
  ref: byName,
  attributes: {
    Arn: arn('dynamodb', 'table/{name}'),
    StreamArn: (r) => `${arn('dynamodb', 'table/{name}')(r)}/stream/2025-01-01T00:00:00.000`,
    TableId: (r) => r.name,
  },
};

const roleArn = (r: NamedResource) => `arn:aws:iam::${r.accountId}:role${String(r.props.Path ?? '/')}${r.name}`;

/** Every resource type the local runtime resolves, keyed by CloudFormation type. */
export const RESOURCE_TYPES: Readonly<Record<string, ResourceType>> = {
  'AWS::SQS::Queue': {
    nameProperty: 'QueueName',
    nameRule: (props) => (isTrue(props.FifoQueue) ? { maxLength: 80, suffix: '.fifo' } : { maxLength: 80 }),
    provisioned: true,
    ref: queueUrl,
    attributes: { Arn: arn('sqs', '{name}'), QueueUrl: queueUrl, QueueName: byName },
  },
  'AWS::DynamoDB::Table': table,
  'AWS::DynamoDB::GlobalTable': table,
  'AWS::Lambda::Function': {
    nameProperty: 'FunctionName',
    nameRule: { maxLength: 64 },
    provisioned: true,
    ref: byName,
    attributes: { Arn: arn('lambda', 'function:{name}') },
  },
  'AWS::Lambda::EventSourceMapping': {
    nameRule: { maxLength: 36 },
    provisioned: true,
    ref: byName,
    attributes: { Id: byName, EventSourceMappingArn: arn('lambda', 'event-source-mapping:{name}') },
  },
  'AWS::StepFunctions::StateMachine': {
    nameProperty: 'StateMachineName',
    nameRule: { maxLength: 80 },
    provisioned: true,
    ref: arn('states', 'stateMachine:{name}'),
    attributes: { Arn: arn('states', 'stateMachine:{name}'), Name: byName },
  },
  'AWS::Events::Rule': {
    nameProperty: 'Name',
    nameRule: { maxLength: 64 },
    provisioned: true,
    ref: byName,
    attributes: { Arn: arn('events', 'rule/{name}') },
  },
  'AWS::Events::EventBus': {
    nameProperty: 'Name',
    nameRule: { maxLength: 256 },
    provisioned: true,
    ref: byName,
    attributes: { Arn: arn('events', 'event-bus/{name}'), Name: byName },
  },
  'AWS::Scheduler::Schedule': {
    nameProperty: 'Name',
    nameRule: { maxLength: 64 },
    provisioned: true,
    ref: byName,
    attributes: { Arn: (r) => arn('scheduler', `schedule/${String(r.props.GroupName ?? 'default')}/{name}`)(r) },
  },
  'AWS::Scheduler::ScheduleGroup': {
    nameProperty: 'Name',
    nameRule: { maxLength: 64 },
    provisioned: true,
    ref: byName,
    attributes: { Arn: arn('scheduler', 'schedule-group/{name}') },
  },
  'AWS::SNS::Topic': {
    nameProperty: 'TopicName',
    nameRule: (props) => (isTrue(props.FifoTopic) ? { maxLength: 256, suffix: '.fifo' } : { maxLength: 256 }),
    provisioned: true,
    ref: arn('sns', '{name}'),
    attributes: { TopicArn: arn('sns', '{name}'), TopicName: byName },
  },
  'AWS::S3::Bucket': {
    nameProperty: 'BucketName',
    nameRule: { maxLength: 63, lowercase: true },
    provisioned: true,
    ref: byName,
    attributes: {
      Arn: (r) => `arn:aws:s3:::${r.name}`,
      DomainName: (r) => `${r.name}.s3.amazonaws.com`,
      RegionalDomainName: (r) => `${r.name}.s3.${r.region}.amazonaws.com`,
      WebsiteURL: (r) => `http://${r.name}.s3-website-${r.region}.amazonaws.com`,
    },
  },
  'AWS::S3::BucketPolicy': { nameRule: { maxLength: 64 }, provisioned: false, ref: byName, attributes: {} },
  'AWS::SNS::Subscription': { nameRule: { maxLength: 64 }, provisioned: true, ref: byName, attributes: {} },
  'AWS::IAM::Role': {
    nameProperty: 'RoleName',
    nameRule: { maxLength: 64 },
    provisioned: false,
    ref: byName,
    attributes: { Arn: roleArn, RoleId: (r) => `AROA${r.name.slice(-16).toUpperCase()}` },
  },
  'AWS::IAM::Policy': { nameProperty: 'PolicyName', nameRule: { maxLength: 128 }, provisioned: false, ref: byName, attributes: {} },
  'AWS::IAM::ManagedPolicy': {
    nameProperty: 'ManagedPolicyName',
    nameRule: { maxLength: 128 },
    provisioned: false,
    ref: (r) => `arn:aws:iam::${r.accountId}:policy/${r.name}`,
    attributes: { PolicyArn: (r) => `arn:aws:iam::${r.accountId}:policy/${r.name}` },
  },
  'AWS::Logs::LogGroup': {
    nameProperty: 'LogGroupName',
    nameRule: { maxLength: 512 },
    provisioned: false,
    ref: byName,
    attributes: { Arn: arn('logs', 'log-group:{name}:*') },
  },
  'AWS::Lambda::Permission': { nameRule: { maxLength: 64 }, provisioned: false, ref: byName, attributes: {} },
  'AWS::SQS::QueuePolicy': { nameRule: { maxLength: 64 }, provisioned: false, ref: byName, attributes: {} },
  'AWS::SNS::TopicPolicy': { nameRule: { maxLength: 64 }, provisioned: false, ref: byName, attributes: {} },
  'AWS::CDK::Metadata': { nameRule: { maxLength: 64 }, provisioned: false, ref: byName, attributes: {} },
  'AWS::CloudWatch::Alarm': { nameProperty: 'AlarmName', nameRule: { maxLength: 255 }, provisioned: false, ref: byName, attributes: { Arn: arn('cloudwatch', 'alarm:{name}') } },
  'AWS::CloudWatch::Dashboard': { nameProperty: 'DashboardName', nameRule: { maxLength: 255 }, provisioned: false, ref: byName, attributes: {} },
};
