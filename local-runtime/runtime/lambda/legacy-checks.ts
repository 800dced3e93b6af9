/**
 * Boot warnings about functions written for an older Lambda: runtimes Lambda has deprecated
 * (it then refuses to create, and later to update, functions on them), and the AWS SDK for
 * JavaScript v2, which ignores `AWS_ENDPOINT_URL` and would call real AWS (the sandbox's
 * network guard blocks those calls).
 */
import { readFileSync } from 'node:fs';
import type { FunctionSpec } from './function-host';

/** Deprecation dates of Lambda's Node.js runtimes (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). */
const DEPRECATED_NODE_RUNTIMES: Readonly<Record<string, string>> = {
  nodejs: '2016-10-31',
  'nodejs4.3': '2020-03-05',
  'nodejs4.3-edge': '2019-04-30',
  'nodejs6.10': '2019-08-12',
  'nodejs8.10': '2020-03-06',
  'nodejs10.x': '2021-07-30',
  'nodejs12.x': '2023-03-31',
  'nodejs14.x': '2023-12-04',
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30',
};

/** A bundle that loads the SDK v2: `require('aws-sdk')`, an import of it, or its bundled modules. */
const SDK_V2 = /require\(\s*["']aws-sdk["']\s*\)|from\s*["']aws-sdk["']|import\(\s*["']aws-sdk["']\s*\)|node_modules\/aws-sdk\/(lib|clients)\//;

/** The warnings for one function (none for a current runtime using the SDK v3). */
export function legacyWarnings(spec: FunctionSpec): string[] {
  const warnings: string[] = [];
  const runtime = (spec.env.AWS_EXECUTION_ENV ?? '').replace(/^AWS_Lambda_/, '');
  const deprecated = DEPRECATED_NODE_RUNTIMES[runtime];
  if (deprecated) {
    warnings.push(`function ${spec.name}: runtime ${runtime} is deprecated on AWS Lambda since ${deprecated}: Lambda no longer accepts new functions on it, then no updates; it runs here on Node ${process.versions.node}`);
  }
  let source = '';
  try {
    source = readFileSync(spec.handler.file, 'utf8');
  } catch {
    // An unreadable handler fails at init, where the run summary reports it.
  }
  if (SDK_V2.test(source)) {
    warnings.push(`function ${spec.name}: uses the AWS SDK for JavaScript v2 (end of support 2025-09-08), which ignores AWS_ENDPOINT_URL and would call real AWS: its calls are blocked here`);
  }
  return warnings;
}
