import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { expect, onTestFinished, test } from 'vitest';
import { createFanOutDemoApp } from '../../infra/stacks/fan-out-demo-stack';

test('the fan-out demo app is cdk-nag clean and synthesizes with the checks registered', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'pp-fan-out-nag-'));
  onTestFinished(() => rmSync(outdir, { recursive: true, force: true }));
  const { app } = createFanOutDemoApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const report = new AwsSolutionsChecks(app).validateScope(app);
  expect(report.violations.map((v) => v.ruleName)).toStrictEqual([]);
  expect(() => app.synth()).not.toThrow();
});
