/**
 * Resolvable placeholders for resource types the local runtime does not run (KMS keys,
 * secrets, buckets, alarms of other services…). A sample app's function may name a key in
 * `KmsKeyArn` or an environment variable without needing it to run; CloudFormation would
 * hand it an id and an ARN, so the runtime hands it plausible local ones instead of refusing
 * to boot, and lists the type in a boot warning.
 */
import { createHash } from 'node:crypto';
import type { NamedResource } from './resource-types';

/** What `Ref` returns for the few types whose `Ref` is not their name. */
const REF_SHAPES: Readonly<Record<string, (r: NamedResource, id: string) => string>> = {
  'AWS::KMS::Key': (_r, id) => id,
  'AWS::KMS::Alias': (r) => `alias/${r.name}`,
  'AWS::SecretsManager::Secret': (r, id) => arnOf('AWS::SecretsManager::Secret', r, id),
  'AWS::Lambda::LayerVersion': (r) => `arn:aws:lambda:${r.region}:${r.accountId}:layer:${r.name}:1`,
  'AWS::Kinesis::Stream': (r) => r.name,
};

/** ARNs whose resource part is not `<type>/<name>`. */
const ARN_SHAPES: Readonly<Record<string, (r: NamedResource, id: string) => string>> = {
  'AWS::KMS::Key': (r, id) => `arn:aws:kms:${r.region}:${r.accountId}:key/${id}`,
  'AWS::KMS::Alias': (r) => `arn:aws:kms:${r.region}:${r.accountId}:alias/${r.name}`,
  'AWS::S3::Bucket': (r) => `arn:aws:s3:::${r.name}`,
  'AWS::SecretsManager::Secret': (r) => `arn:aws:secretsmanager:${r.region}:${r.accountId}:secret:${r.name}-AbCdEf`,
  'AWS::SSM::Parameter': (r) => `arn:aws:ssm:${r.region}:${r.accountId}:parameter/${r.name.replace(/^\//, '')}`,
  'AWS::Lambda::LayerVersion': (r) => `arn:aws:lambda:${r.region}:${r.accountId}:layer:${r.name}:1`,
};

/** A UUID-shaped id determined by the resource's name (KMS key ids, and other ids). */
function placeholderId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function arnOf(type: string, r: NamedResource, id: string): string {
  const shaped = ARN_SHAPES[type];
  if (shaped) return shaped(r, id);
  const [, service = 'unknown', kind = 'resource'] = type.split('::');
  return `arn:aws:${service.toLowerCase()}:${r.region}:${r.accountId}:${kind.toLowerCase()}/${r.name}`;
}

/** `Ref` on a resource of an unemulated type. */
export function unemulatedRef(type: string, r: NamedResource): string {
  const id = placeholderId(r.name);
  return REF_SHAPES[type]?.(r, id) ?? r.name;
}

/**
 * `Fn::GetAtt` on a resource of an unemulated type: `Arn` and `*Arn` give an ARN of the
 * service's shape, `*Id` a UUID-shaped id, `*Url` a local URL, anything else the name.
 */
export function unemulatedAttribute(type: string, attribute: string, r: NamedResource): string {
  const id = placeholderId(r.name);
  if (/Arn$/.test(attribute)) return arnOf(type, r, id);
  if (/Id$/.test(attribute)) return type === 'AWS::KMS::Key' ? id : id.replace(/-/g, '').slice(0, 20);
  if (/Url$/.test(attribute)) return `${r.endpoint}/${r.accountId}/${r.name}`;
  return r.name;
}

/** The property that holds an explicit name, by convention (`BucketName`, `Name`…), if set. */
export function unemulatedNameProperty(type: string, props: Readonly<Record<string, unknown>>): string | undefined {
  const kind = type.split('::')[2] ?? '';
  return [`${kind}Name`, 'Name'].find((key) => typeof props[key] === 'string');
}

/** The boot warning for the unemulated resources of one type. */
export function unemulatedWarning(type: string, logicalIds: readonly string[]): string {
  return `resource type ${type} is not emulated (${logicalIds.join(', ')}): references resolve to local placeholder ids and ARNs; nothing runs it`;
}
