/**
 * The files of the two CDK apps the tarball test installs the package into, written the way a
 * user gets them: `cdk init app --language typescript` (CommonJS, NodeNext, skipLibCheck true)
 * and its ESM twin (`"type": "module"`). Both define one stack with a WorkQueue whose worker is
 * the app's own handler file, written with `pp-patterns/runtime`, so synth bundles a user's
 * handler with esbuild through the package's constructs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The `compilerOptions` `cdk init app --language typescript` writes (aws-cdk 2.1148). */
export const CDK_INIT_COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['es2022'],
  declaration: true,
  strict: true,
  noImplicitAny: true,
  strictNullChecks: true,
  noImplicitThis: true,
  alwaysStrict: true,
  noUnusedLocals: false,
  noUnusedParameters: false,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: false,
  inlineSourceMap: true,
  inlineSources: true,
  experimentalDecorators: true,
  strictPropertyInitialization: false,
  skipLibCheck: true,
  types: ['node'],
} as const;

const STACK = `import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { WorkQueue } from 'pp-patterns';

export class ConsumerStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const jobs = new WorkQueue(this, 'Jobs', { entry: 'lambda/worker.ts', batchSize: 5 });
    new CfnOutput(this, 'IngressQueueUrl', { value: jobs.ingress.queueUrl });
  }
}
`;

const WORKER = `import { PoisonRecordError, workQueue } from 'pp-patterns/runtime';

interface Job { readonly id: string; readonly size: number }

export const handler = workQueue<Job, number>({
  processItem: async (job) => {
    if (job.size < 0) throw new PoisonRecordError('negative size');
    return job.size * 2;
  },
});
`;

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/**
 * Writes a consumer app into `dir`.
 * @param format `commonjs`: `cdk init`'s app as generated; `module`: the same with `"type": "module"`
 */
export function writeConsumerApp(dir: string, format: 'commonjs' | 'module'): void {
  const esm = format === 'module';
  // NodeNext: ESM files import relative modules with their `.js` extension, CommonJS ones need not.
  const stackImport = esm ? '../lib/consumer-stack.js' : '../lib/consumer-stack';
  write(dir, {
    'package.json': JSON.stringify({ name: `consumer-${format}`, version: '0.1.0', private: true, ...(esm ? { type: 'module' } : {}), bin: { app: 'bin/app.js' } }, null, 2),
    'tsconfig.json': JSON.stringify({ compilerOptions: CDK_INIT_COMPILER_OPTIONS, exclude: ['node_modules', 'cdk.out'] }, null, 2),
    'cdk.json': JSON.stringify({ app: 'node bin/app.js', context: { 'cli-telemetry': false } }, null, 2),
    'bin/app.ts': `import { App } from 'aws-cdk-lib';\nimport { ConsumerStack } from '${stackImport}';\n\nconst app = new App();\nnew ConsumerStack(app, 'Consumer');\n`,
    'lib/consumer-stack.ts': STACK,
    'lambda/worker.ts': WORKER,
    // A declaration-only use of every entry, so the type check reaches each one's types.
    'lib/surface.ts': `import type { WorkQueueProps } from 'pp-patterns';\nimport type { WorkQueueOptions } from 'pp-patterns/runtime';\nimport { InMemoryFlagStore } from 'pp-patterns/testing';\n\nexport const used: [WorkQueueProps | undefined, WorkQueueOptions<string, void> | undefined, InMemoryFlagStore] = [undefined, undefined, new InMemoryFlagStore()];\n\n// @ts-expect-error batchSize is a number: fails to compile if the declarations resolve to \`any\`\nexport const wrong: WorkQueueProps = { batchSize: 'five' };\n`,
  });
}
