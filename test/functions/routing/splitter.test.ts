import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/lib/errors';
import { createSplitter, splitterOutputs } from '../../../functions/lib/routing/splitter';

const options = { field: 'channel', routes: { email: 'emailQ', sms: 'smsQ', push: 'smsQ' }, defaultOutput: 'otherQ' };

describe('createSplitter', () => {
  it('routes an item to the output of its field value', () => {
    expect(createSplitter(options)({ channel: 'sms' })).toBe('smsQ');
  });

  it('lets several values share one output', () => {
    expect(createSplitter(options)({ channel: 'push' })).toBe('smsQ');
  });

  it('reads a nested dot path', () => {
    const split = createSplitter({ ...options, field: 'order.channel' });
    expect(split({ order: { channel: 'email' } })).toBe('emailQ');
  });

  it('routes a value no route claims to the default output', () => {
    expect(createSplitter(options)({ channel: 'fax' })).toBe('otherQ');
  });

  it('routes an item without the field to the default output', () => {
    expect(createSplitter(options)({ other: 'email' })).toBe('otherQ');
  });

  it('routes a non-object item to the default output', () => {
    expect(createSplitter(options)('email')).toBe('otherQ');
  });

  it('routes an object-valued field to the default output', () => {
    expect(createSplitter(options)({ channel: { email: true } })).toBe('otherQ');
  });

  it('matches numbers and booleans by their JSON spelling', () => {
    const split = createSplitter({ field: 'tier', routes: { '2': 'gold', true: 'vip' }, defaultOutput: 'std' });
    expect([split({ tier: 2 }), split({ tier: true }), split({ tier: '2' }), split({ tier: 3 })]).toStrictEqual(['gold', 'vip', 'gold', 'std']);
  });

  it('does not follow a route through an inherited property name', () => {
    expect(createSplitter({ ...options, field: 'constructor' })({})).toBe('otherQ');
  });

  it('fails if the field path has an empty segment', () => {
    expect(() => createSplitter({ ...options, field: 'order..channel' })).toThrow(/field path .* "order\.\.channel"/);
  });

  it('fails if the default output is empty', () => {
    expect(() => createSplitter({ ...options, defaultOutput: '' })).toThrow(ConfigError);
  });

  it('fails if a route names an empty output', () => {
    expect(() => createSplitter({ ...options, routes: { email: '' } })).toThrow(/route "email" names an empty output/);
  });

  it('drops nothing: every item goes to exactly one declared output (property)', () => {
    const split = createSplitter(options);
    const declared = new Set(splitterOutputs(options));
    fc.assert(
      fc.property(fc.array(fc.anything()), fc.array(fc.constantFrom('email', 'sms', 'push', 'fax', '')), (noise, channels) => {
        const items = [...noise, ...channels.map((channel) => ({ channel }))];
        const routed = items.map((item) => split(item));
        expect(routed).toHaveLength(items.length);
        expect(routed.every((output) => declared.has(output))).toBe(true);
      }),
    );
  });
});

describe('splitterOutputs', () => {
  it('lists each output once, the default included', () => {
    expect(splitterOutputs(options)).toStrictEqual(['emailQ', 'smsQ', 'otherQ']);
  });
});
