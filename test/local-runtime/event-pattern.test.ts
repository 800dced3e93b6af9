import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesEventPattern, parseEventPattern } from '../../local-runtime/scheduling/event-pattern';

const event = {
  source: 'pp.tasks',
  'detail-type': 'TaskCompleted',
  detail: { taskId: 'task-42', status: 'DONE', attempts: 3, tags: ['urgent', 'billing'], owner: { team: 'Core' }, note: null },
};
const matches = (pattern: object) => matchesEventPattern(parseEventPattern(pattern), event);

describe('event patterns', () => {
  it('matches exact values at the top level and nested, and fails on a different value', () => {
    expect(matches({ source: ['pp.tasks'], detail: { status: ['DONE'] } })).toBe(true);
    expect(matches({ source: ['pp.tasks'], detail: { status: ['FAILED'] } })).toBe(false);
    expect(matches({ detail: { owner: { team: ['Core'] } } })).toBe(true);
  });

  it('treats a list of values as OR, and an array field as "any element"', () => {
    expect(matches({ detail: { status: ['FAILED', 'DONE'] } })).toBe(true);
    expect(matches({ detail: { tags: ['billing'] } })).toBe(true);
    expect(matches({ detail: { tags: ['ops'] } })).toBe(false);
  });

  it('matches numbers exactly and null only against null', () => {
    expect(matches({ detail: { attempts: [3] } })).toBe(true);
    expect(matches({ detail: { attempts: ['3'] } })).toBe(false);
    expect(matches({ detail: { note: [null] } })).toBe(true);
    expect(matches({ detail: { missing: [null] } })).toBe(false);
  });

  it('matches prefix, suffix, equals-ignore-case and wildcard', () => {
    expect(matches({ detail: { taskId: [{ prefix: 'task-' }] } })).toBe(true);
    expect(matches({ detail: { taskId: [{ prefix: 'job-' }] } })).toBe(false);
    expect(matches({ detail: { taskId: [{ suffix: '-42' }] } })).toBe(true);
    expect(matches({ detail: { taskId: [{ prefix: { 'equals-ignore-case': 'TASK-' } }] } })).toBe(true);
    expect(matches({ detail: { status: [{ 'equals-ignore-case': 'done' }] } })).toBe(true);
    expect(matches({ detail: { taskId: [{ wildcard: 't*-4?' }] } })).toBe(false);
    expect(matches({ detail: { taskId: [{ wildcard: 't*-4*' }] } })).toBe(true);
  });

  it('matches anything-but for values, lists and prefixes, never for an absent field', () => {
    expect(matches({ detail: { status: [{ 'anything-but': 'FAILED' }] } })).toBe(true);
    expect(matches({ detail: { status: [{ 'anything-but': ['FAILED', 'DONE'] }] } })).toBe(false);
    expect(matches({ detail: { taskId: [{ 'anything-but': { prefix: 'task-' } }] } })).toBe(false);
    expect(matches({ detail: { missing: [{ 'anything-but': 'x' }] } })).toBe(false);
  });

  it('matches numeric ranges', () => {
    expect(matches({ detail: { attempts: [{ numeric: ['>', 0, '<=', 3] }] } })).toBe(true);
    expect(matches({ detail: { attempts: [{ numeric: ['>', 3] }] } })).toBe(false);
    expect(matches({ detail: { attempts: [{ numeric: ['=', 3] }] } })).toBe(true);
    expect(matches({ detail: { status: [{ numeric: ['>', 0] }] } })).toBe(false);
  });

  it('matches exists true/false, including an absent parent object', () => {
    expect(matches({ detail: { taskId: [{ exists: true }] } })).toBe(true);
    expect(matches({ detail: { missing: [{ exists: true }] } })).toBe(false);
    expect(matches({ detail: { missing: [{ exists: false }] } })).toBe(true);
    expect(matches({ detail: { taskId: [{ exists: false }] } })).toBe(false);
    expect(matches({ nothere: { x: [{ exists: false }] } })).toBe(true);
  });

  it('matches $or over sub-patterns', () => {
    expect(matches({ $or: [{ detail: { status: ['FAILED'] } }, { detail: { attempts: [{ numeric: ['>=', 3] }] } }] })).toBe(true);
    expect(matches({ $or: [{ detail: { status: ['FAILED'] } }, { source: ['other'] }] })).toBe(false);
  });

  it('works on non-EventBridge JSON such as a Lambda filter over an SQS body', () => {
    const pattern = parseEventPattern('{"body":{"kind":["order"],"amount":[{"numeric":[">=",100]}]}}');
    expect(matchesEventPattern(pattern, { body: { kind: 'order', amount: 250 } })).toBe(true);
    expect(matchesEventPattern(pattern, { body: { kind: 'order', amount: 5 } })).toBe(false);
    expect(matchesEventPattern(pattern, 'not an object')).toBe(false);
  });

  it('fails on an invalid pattern, listing every problem', () => {
    expect(() => parseEventPattern({ source: 'pp.tasks', detail: { n: [{ numeric: ['>>', 1] }], x: [{ between: 1 }] } })).toThrow(
      /source must be an array of matchers .*got "pp.tasks".*detail.n: bad numeric pair.*detail.x: unknown matcher/,
    );
    expect(() => parseEventPattern('{nope')).toThrow(/not JSON/);
  });

  it('an exact-value pattern matches exactly the events carrying that value (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (wanted, actual) => {
        const pattern = parseEventPattern({ detail: { k: [wanted] } });
        expect(matchesEventPattern(pattern, { detail: { k: actual } })).toBe(wanted === actual);
        expect(matchesEventPattern(pattern, { detail: { k: [actual, wanted] } })).toBe(true);
      }),
    );
  });
});
