import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { createDemoApp, DemoStack } from '../../infra/stacks/demo-stack';

/**
 * Every cdk-nag acknowledgement in the demo app, by construct path and rule id, with its
 * reason. The demo fixes findings instead of acknowledging them, so the list is empty; a new
 * acknowledgement must be added here on purpose, with a real reason.
 */
const EXPECTED_ACKNOWLEDGEMENTS: readonly { path: string; id: string }[] = [];

describe('cdk-nag AwsSolutions on the demo app', () => {
  let outdir: string;
  let demo: ReturnType<typeof createDemoApp>;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'pp-nag-test-'));
    // No bundling: nag reads the template, not the bundle.
    demo = createDemoApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('reports no violation', () => {
    const report = new AwsSolutionsChecks(demo.app).validateScope(demo.app);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toStrictEqual([]);
    expect(report.success).toBe(true);
  });

  test('synthesizes with the nag plugin registered (a finding would fail the synth)', () => {
    expect(() => demo.app.synth()).not.toThrow();
  });

  test('leaves no unacknowledged warning or error annotation', () => {
    demo.app.synth();
    const annotations = Annotations.fromStack(demo.stack as DemoStack);
    expect(annotations.findWarning('*', Match.anyValue())).toStrictEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toStrictEqual([]);
  });

  test('acknowledges exactly the listed rules, each with a reason', () => {
    const found = acknowledgements(demo.app);
    expect(found.map(({ path, id }) => ({ path, id }))).toStrictEqual(EXPECTED_ACKNOWLEDGEMENTS);
    for (const ack of found) expect(ack.reason.length).toBeGreaterThan(20);
  });
});

test('createDemoApp registers the checks: a finding fails the synth', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'pp-nag-test-'));
  onTestFinished(() => rmSync(outdir, { recursive: true, force: true }));
  const { app, stack } = createDemoApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  // A bare queue has neither a DLQ nor a TLS-only policy: AwsSolutions-SQS3 and SQS4.
  new Queue(stack, 'Bare');
  expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
});

/** Reads the acknowledgements `Validations.of(scope).acknowledge()` recorded in construct metadata. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      // Recorded as `{ [qualifiedRuleId]: reason }`.
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ path: c.node.path, id, reason })),
  );
}
