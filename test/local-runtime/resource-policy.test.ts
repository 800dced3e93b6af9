/**
 * Resource-policy evaluation within one account (principal forms, the account delegation
 * rule, NotPrincipal, service principals with conditions), and the read-write lock that
 * keeps a DynamoDB transaction apart from every other request.
 */
import { describe, expect, it } from 'vitest';
import { combineDecisions, type Decision, ResourcePolicySet } from '../../local-runtime/iam';
import { ReadWriteLock } from '../../local-runtime/runtime/emulators/read-write-lock';

const ACCOUNT = '000000000000';
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Worker`;
const role = { kind: 'role' as const, roleArn: ROLE, accountId: ACCOUNT };
const RULE = `arn:aws:events:us-east-1:${ACCOUNT}:rule/orders`;

function policy(...statements: object[]): ResourcePolicySet {
  return new ResourcePolicySet([{ name: 'JobsPolicy', type: 'AWS::SQS::QueuePolicy', attachedTo: [QUEUE], statements: statements as never }]);
}

describe('ResourcePolicySet', () => {
  it('says nothing about a resource no policy is attached to', () => {
    expect(policy({ Effect: 'Allow', Principal: '*', Action: 'sqs:*' }).evaluate(role, 'sqs:SendMessage', `${QUEUE}-other`)).toBeUndefined();
  });

  it('grants to the role by ARN or to everyone, but not through the account alone', () => {
    const grant = (principal: unknown) => policy({ Effect: 'Allow', Principal: principal, Action: 'sqs:SendMessage', Resource: QUEUE }).evaluate(role, 'sqs:SendMessage', QUEUE)?.decision;
    expect(grant({ AWS: ROLE })).toBe('Allow');
    expect(grant('*')).toBe('Allow');
    expect(grant({ AWS: [`arn:aws:iam::${ACCOUNT}:root`] })).toBe('ImplicitDeny');
    expect(grant({ AWS: ACCOUNT })).toBe('ImplicitDeny');
    expect(grant({ Service: 'events.amazonaws.com' })).toBe('ImplicitDeny');
  });

  it('denies every principal of the account when the Deny names the account, and honours NotPrincipal', () => {
    const deny = (statement: object) => policy({ Effect: 'Deny', Action: 'sqs:*', Resource: QUEUE, ...statement }).evaluate(role, 'sqs:SendMessage', QUEUE);
    expect(deny({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })).toMatchObject({ decision: 'ExplicitDeny', policy: 'JobsPolicy', source: 'resource' });
    expect(deny({ NotPrincipal: { AWS: ROLE } })?.decision).toBe('ImplicitDeny');
    expect(deny({ NotPrincipal: { AWS: `${ROLE}-other` } })?.decision).toBe('ExplicitDeny');
  });

  it('admits a service only for the source its condition names', () => {
    const set = policy({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: QUEUE, Condition: { ArnEquals: { 'aws:SourceArn': RULE } } });
    const events = { kind: 'service' as const, service: 'events.amazonaws.com' };
    expect(set.evaluate(events, 'sqs:SendMessage', QUEUE, { 'aws:SourceArn': RULE })?.decision).toBe('Allow');
    expect(set.evaluate(events, 'sqs:SendMessage', QUEUE, { 'aws:SourceArn': `${RULE}-2` })?.decision).toBe('ImplicitDeny');
    expect(set.evaluate({ kind: 'service', service: 'sns.amazonaws.com' }, 'sqs:SendMessage', QUEUE, { 'aws:SourceArn': RULE })?.decision).toBe('ImplicitDeny');
  });

  it('combines with the identity decision: any explicit Deny wins, then any Allow', () => {
    const d = (decision: Decision['decision']): Decision => ({ decision });
    expect(combineDecisions(d('Allow'), d('ExplicitDeny')).decision).toBe('ExplicitDeny');
    expect(combineDecisions(d('ExplicitDeny'), d('Allow')).decision).toBe('ExplicitDeny');
    expect(combineDecisions(d('ImplicitDeny'), d('Allow')).decision).toBe('Allow');
    expect(combineDecisions(d('Allow'), d('ImplicitDeny')).decision).toBe('Allow');
    expect(combineDecisions(d('ImplicitDeny'), undefined).decision).toBe('ImplicitDeny');
  });
});

describe('ReadWriteLock', () => {
  it('runs shared holders together and an exclusive holder alone, in arrival order', async () => {
    const lock = new ReadWriteLock();
    const log: string[] = [];
    const gates = new Map<string, () => void>();
    const hold = (name: string) => async () => {
      log.push(`start ${name}`);
      await new Promise<void>((release) => gates.set(name, release));
      log.push(`end ${name}`);
    };
    const tick = () => new Promise((r) => setImmediate(r));
    const a = lock.runShared(hold('a'));
    const b = lock.runShared(hold('b'));
    const x = lock.runExclusive(hold('x'));
    const c = lock.runShared(hold('c'));
    await tick();
    expect(log).toStrictEqual(['start a', 'start b']);
    gates.get('a')!();
    await tick();
    expect(log).toStrictEqual(['start a', 'start b', 'end a']);
    gates.get('b')!();
    await tick();
    expect(log.slice(3)).toStrictEqual(['end b', 'start x']);
    gates.get('x')!();
    await tick();
    expect(log.slice(5)).toStrictEqual(['end x', 'start c']);
    gates.get('c')!();
    await Promise.all([a, b, x, c]);
  });
});
