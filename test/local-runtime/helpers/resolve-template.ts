/**
 * Test-only: resolves a synthesized template's intrinsics (Ref, Fn::GetAtt, Fn::Join,
 * Fn::Sub, Fn::Select, Fn::Split) to fake but well-formed names and ARNs, standing in for
 * the runtime's resolver so the scheduling and Step Functions tests run on real CDK output.
 */

/** A CloudFormation template, as `Template.toJSON()` returns it. */
export interface CfnTemplate {
  readonly Resources: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;
}

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Fixture',
  'AWS::NoValue': '',
};

/** The fake ARN of a resource, by type. */
export function fakeArn(logicalId: string, type: string): string {
  switch (type) {
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${logicalId}`;
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${REGION}:${ACCOUNT}:${logicalId}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${ACCOUNT}:role/${logicalId}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${logicalId}`;
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${logicalId}`;
    case 'AWS::Events::Rule':
      return `arn:aws:events:${REGION}:${ACCOUNT}:rule/${logicalId}`;
    default:
      return `arn:aws:${type.split('::')[1].toLowerCase()}:${REGION}:${ACCOUNT}:${logicalId}`;
  }
}

/** What `Ref` returns for a resource, by type. */
export function fakeRef(logicalId: string, type: string): string {
  if (type === 'AWS::SQS::Queue') return `http://127.0.0.1/${ACCOUNT}/${logicalId}`;
  if (type === 'AWS::StepFunctions::StateMachine') return fakeArn(logicalId, type);
  return logicalId;
}

function attribute(template: CfnTemplate, logicalId: string, attr: string): string {
  const type = template.Resources[logicalId]?.Type;
  if (!type) throw new Error(`Fn::GetAtt of unknown resource ${logicalId}`);
  if (attr === 'Arn') return fakeArn(logicalId, type);
  if (attr === 'QueueName' || attr === 'Name') return logicalId;
  if (attr === 'QueueUrl') return fakeRef(logicalId, type);
  throw new Error(`Fn::GetAtt ${logicalId}.${attr} is not faked`);
}

function ref(template: CfnTemplate, name: string): string {
  if (name in PSEUDO) return PSEUDO[name];
  const type = template.Resources[name]?.Type;
  if (!type) throw new Error(`Ref to unknown resource ${name}`);
  return fakeRef(name, type);
}

/** Resolves every intrinsic inside `value` against `template`. */
export function resolveIntrinsics(value: unknown, template: CfnTemplate): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, template));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const arg = obj[keys[0]];
    switch (keys[0]) {
      case 'Ref':
        return ref(template, arg as string);
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
        return attribute(template, id, attr);
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, unknown[]];
        return (resolveIntrinsics(parts, template) as unknown[]).join(sep);
      }
      case 'Fn::Select': {
        const [i, list] = arg as [number, unknown];
        return (resolveIntrinsics(list, template) as unknown[])[Number(i)];
      }
      case 'Fn::Split': {
        const [sep, text] = arg as [string, unknown];
        return String(resolveIntrinsics(text, template)).split(sep);
      }
      case 'Fn::Sub': {
        const [text, vars = {}] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, unknown>]);
        return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
          if (name in vars) return String(resolveIntrinsics(vars[name], template));
          const [id, attr] = name.split('.');
          return attr ? attribute(template, id, attr) : ref(template, id);
        });
      }
    }
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolveIntrinsics(v, template)]));
}
