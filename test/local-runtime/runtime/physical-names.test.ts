import { describe, expect, it } from 'vitest';
import { generatePhysicalName } from '../../../local-runtime/runtime/template/physical-names';

describe('generatePhysicalName', () => {
  it('builds StackName-LogicalId-RANDOM like CloudFormation', () => {
    expect(generatePhysicalName('Demo', 'OrdersQueue1A2B3C', 'seed', { maxLength: 80 })).toMatch(/^Demo-OrdersQueue1A2B3C-[A-Z0-9]{12}$/);
  });

  it('is the same for the same seed and different for another seed', () => {
    const a = generatePhysicalName('Demo', 'Q', 'one', { maxLength: 80 });
    expect(generatePhysicalName('Demo', 'Q', 'one', { maxLength: 80 })).toBe(a);
    expect(generatePhysicalName('Demo', 'Q', 'two', { maxLength: 80 })).not.toBe(a);
  });

  it('shortens long stack names and logical IDs to the limit, keeping the suffix', () => {
    const name = generatePhysicalName('A'.repeat(60), 'B'.repeat(60), 'seed', { maxLength: 80, suffix: '.fifo' });
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^A+-B+-[A-Z0-9]{12}\.fifo$/);
  });

  it('fits Lambda function names into 64 characters', () => {
    expect(generatePhysicalName('PpPatternsDemoStackWithALongName', 'OrdersWorkerFunctionD1E2F3A4B5', 'seed', { maxLength: 64 }).length).toBeLessThanOrEqual(64);
  });
});
