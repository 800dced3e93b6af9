/**
 * Fresh CDK apps and small fixtures for construct tests. Each app writes its cloud assembly to
 * its own folder under `os.tmpdir()`, removed when the test finishes (a bare `new App()` leaves
 * `/tmp/cdk.out*` folders behind on every `Template.fromStack`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, AppProps, Duration, Stack } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { onTestFinished } from 'vitest';

/** Options of {@link newTestApp} and {@link freshStack}. */
export interface TestAppOptions {
  /**
   * Run esbuild for `NodejsFunction`s. Off by default: CDK then stages a placeholder asset
   * (context `aws:cdk:bundling-stacks: []`), so a construct test costs no bundling on the
   * shared 2-core machine. Turn it on only in tests that inspect the bundle.
   *
   * @default false
   */
  readonly bundling?: boolean;
  /** Extra App props (context is merged with the bundling switch). @default - none */
  readonly appProps?: AppProps;
}

/** An App and how to remove what it wrote. */
export interface TestApp {
  /** The app, whose `outdir` is a fresh folder under `os.tmpdir()`. */
  readonly app: App;
  /** Its cloud assembly folder. */
  readonly outdir: string;
  /** Removes `outdir`; safe to call twice. */
  cleanup(): void;
}

/**
 * A new App writing to a fresh temporary folder. The caller calls `cleanup()` (e.g. in
 * `afterAll`); inside a test prefer {@link freshStack}, which cleans up by itself.
 */
export function newTestApp(options: TestAppOptions = {}): TestApp {
  const outdir = mkdtempSync(join(tmpdir(), 'pp-cdk-test-'));
  const context = {
    ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
    ...options.appProps?.context,
  };
  const app = new App({ ...options.appProps, outdir, context });
  return { app, outdir, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

/**
 * A fresh App for one test, with no stack yet; its folder is removed when the test finishes.
 * Must be called inside a test (it registers `onTestFinished`).
 *
 * @param options see {@link TestAppOptions}
 */
export function freshApp(options: TestAppOptions = {}): { app: App; outdir: string } {
  const testApp = newTestApp(options);
  onTestFinished(() => testApp.cleanup());
  return { app: testApp.app, outdir: testApp.outdir };
}

/**
 * A fresh App and Stack for one test; the App's folder is removed when the test finishes.
 * Must be called inside a test (it registers `onTestFinished`).
 *
 * @param options see {@link TestAppOptions}
 * @param stackId the stack's ID
 */
export function freshStack(options: TestAppOptions = {}, stackId = 'Test'): { app: App; stack: Stack; outdir: string } {
  const { app, outdir } = freshApp(options);
  const stack = new Stack(app, stackId, { env: { account: '123456789012', region: 'eu-west-1' } });
  return { app, stack, outdir };
}

/** A handler entry that exists in the repository, for `WorkQueue({ entry })` tests (not bundled unless asked). */
export const WORKER_ENTRY = fileURLToPath(new URL('../../functions/demo/order-worker.ts', import.meta.url));

/**
 * A small inline `Function` for `handler: IFunction` cases: nothing to bundle, so such tests
 * cost no esbuild run.
 *
 * @param scope where to create it
 * @param timeout its timeout
 */
export function inlineFunction(scope: Construct, timeout: Duration = Duration.seconds(30)): LambdaFunction {
  return new LambdaFunction(scope, 'Inline', {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
    timeout,
  });
}
