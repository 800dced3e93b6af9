import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyMatches, matchesPattern, validatePattern, type FilterPattern } from '../../../functions/lib/routing/filter-pattern';

describe('matchesPattern', () => {
  it('matches a literal value', () => {
    expect(matchesPattern({ type: ['order'] }, { type: 'order' })).toBe(true);
  });

  it('rejects a different literal value', () => {
    expect(matchesPattern({ type: ['order'] }, { type: 'refund' })).toBe(false);
  });

  it('ORs the rules of one field', () => {
    expect(matchesPattern({ type: ['order', 'refund'] }, { type: 'refund' })).toBe(true);
  });

  it('ANDs the fields of a pattern', () => {
    expect(matchesPattern({ type: ['order'], optIn: [true] }, { type: 'order', optIn: false })).toBe(false);
  });

  it('does not equate a number with its string spelling', () => {
    expect(matchesPattern({ n: [5] }, { n: '5' })).toBe(false);
  });

  it('matches null only against null', () => {
    expect([matchesPattern({ v: [null] }, { v: null }), matchesPattern({ v: [null] }, {})]).toStrictEqual([true, false]);
  });

  it('descends into nested objects', () => {
    expect(matchesPattern({ order: { status: ['shipped'] } }, { order: { status: 'shipped' } })).toBe(true);
  });

  it('rejects a nested pattern over a scalar field', () => {
    expect(matchesPattern({ order: { status: ['shipped'] } }, { order: 'shipped' })).toBe(false);
  });

  it('matches an event array when any element matches', () => {
    expect(matchesPattern({ tags: ['vip'] }, { tags: ['new', 'vip'] })).toBe(true);
  });

  it('applies prefix, suffix and equals-ignore-case', () => {
    const event = { sku: 'ABC-123' };
    expect([
      matchesPattern({ sku: [{ prefix: 'ABC' }] }, event),
      matchesPattern({ sku: [{ suffix: '123' }] }, event),
      matchesPattern({ sku: [{ 'equals-ignore-case': 'abc-123' }] }, event),
      matchesPattern({ sku: [{ prefix: 'abc' }] }, event),
    ]).toStrictEqual([true, true, true, false]);
  });

  it('applies anything-but to values and to a prefix', () => {
    expect([
      matchesPattern({ s: [{ 'anything-but': ['a', 'b'] }] }, { s: 'c' }),
      matchesPattern({ s: [{ 'anything-but': 'a' }] }, { s: 'a' }),
      matchesPattern({ s: [{ 'anything-but': { prefix: 'tmp' } }] }, { s: 'tmp-1' }),
      matchesPattern({ s: [{ 'anything-but': { prefix: 'tmp' } }] }, { s: 'final' }),
    ]).toStrictEqual([true, false, false, true]);
  });

  it('applies numeric ranges with every comparison', () => {
    const rule = { total: [{ numeric: ['>', 10, '<=', 20] }] } as const;
    expect([9, 10, 11, 20, 21].map((total) => matchesPattern(rule, { total }))).toStrictEqual([false, false, true, true, false]);
  });

  it('applies exists true and false', () => {
    expect([
      matchesPattern({ coupon: [{ exists: true }] }, { coupon: 'X' }),
      matchesPattern({ coupon: [{ exists: false }] }, {}),
      matchesPattern({ coupon: [{ exists: false }] }, { coupon: 'X' }),
    ]).toStrictEqual([true, true, false]);
  });

  it('keeps exactly the items whose field equals a listed value (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.array(fc.string()), (listed, values) => {
        const pattern: FilterPattern = { k: listed };
        for (const value of values) expect(matchesPattern(pattern, { k: value })).toBe(listed.includes(value));
      }),
    );
  });
});

describe('bodyMatches', () => {
  it('matches a JSON body as parsed JSON', () => {
    expect(bodyMatches({ type: ['order'] }, '{"type":"order"}')).toBe(true);
  });

  it('never matches a field pattern against a body that is not JSON', () => {
    expect(bodyMatches({ type: ['order'] }, 'type=order')).toBe(false);
  });
});

describe('validatePattern', () => {
  it('accepts every supported rule', () => {
    expect(() =>
      validatePattern({
        a: ['x', 1, true, null, { prefix: 'p' }, { suffix: 's' }, { 'equals-ignore-case': 'E' }],
        b: [{ 'anything-but': ['x', 2] }, { 'anything-but': { prefix: 'y' } }, { numeric: ['>=', 0, '<', 5] }, { exists: false }],
        c: { d: ['nested'] },
      }),
    ).not.toThrow();
  });

  it('fails if a rule is unknown, naming its field', () => {
    expect(() => validatePattern({ a: { b: [{ regex: '.*' }] } })).toThrow(/pattern\.a\.b has an unsupported rule \{"regex":".\*"\}/);
  });

  it('fails if a field has an empty rule list', () => {
    expect(() => validatePattern({ a: [] })).toThrow(/pattern\.a must list at least one rule/);
  });

  it('fails if a numeric rule has an unknown operator', () => {
    expect(() => validatePattern({ a: [{ numeric: ['!=', 1] }] })).toThrow(/unsupported rule/);
  });

  it('fails if the pattern is empty', () => {
    expect(() => validatePattern({})).toThrow(/at least one field/);
  });

  it('reports every malformed field at once', () => {
    expect(() => validatePattern({ a: [], b: [{ nope: 1 }] })).toThrow(/pattern\.a .*; pattern\.b /);
  });
});
