import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Env, METRICS_NAMESPACE } from '../../functions/contract';
import { isInsidePackage, packageRoot } from './paths';

/**
 * The Lambda runtime every function we build runs on: the newest Node.js that aws-cdk-lib
 * 2.276 knows (nodejs20.x is deprecated on AWS). Pinned rather than `NODEJS_LATEST`, whose
 * value moves with aws-cdk-lib upgrades and would silently change deployed runtimes.
 */
const HANDLER_RUNTIME = Runtime.NODEJS_24_X;

/**
 * The esbuild target: the bundle must also run on the local runtime's Node 20,
 * and code built for node20 runs unchanged on the newer Lambda runtime.
 */
const BUNDLE_TARGET = 'node20';

/**
 * Prepended to every ESM bundle: CommonJS dependencies bundled into an ES module still call
 * `require()` for Node built-ins, which ES modules do not define.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __ppCreateRequire } from 'node:module'; const require = __ppCreateRequire(import.meta.url);";

/**
 * The esbuild settings of every handler bundle, as `NodejsFunction`'s `bundling` takes them;
 * the cold-start bench (bench/cold-start.bench.ts) builds its bundles with the same settings.
 *
 * The SDK is bundled and the bundle minified: measured by that bench, the SDK clients a
 * handler uses load and make their first call in about half the time from one tree-shaken,
 * minified bundle than from the runtime's `node_modules` (hundreds of files, every command of
 * each client), and the bundle also pins the SDK version the handler was tested with.
 */
export const HANDLER_BUNDLING = {
  format: OutputFormat.ESM,
  target: BUNDLE_TARGET,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  externalModules: [] as string[],
  minify: true,
} as const;

/** Defaults of {@link HandlerFunctionOptions}. */
export const HANDLER_DEFAULTS = {
  timeout: Duration.seconds(30),
  memorySize: 512,
  logRetention: RetentionDays.ONE_MONTH,
} as const;

/** Options of {@link handlerFunction}. */
export interface HandlerFunctionOptions {
  /** Absolute path of the handler's TypeScript or JavaScript entry file. */
  readonly entry: string;
  /**
   * The Powertools service name (`POWERTOOLS_SERVICE_NAME`); also the `service` dimension of
   * the runtime's metrics, so a construct's `metric*` methods must use the same value.
   */
  readonly serviceName: string;
  /**
   * Name of the exported handler function in `entry`.
   *
   * @default 'handler'
   */
  readonly handler?: string;
  /**
   * Function timeout (1 s–900 s); validate it with the construct's `PropsValidator` first.
   *
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Memory in MB (128–10,240); CPU scales with it.
   *
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Extra environment variables. The Powertools service name and metrics namespace are set by
   * this helper and win over same-named keys here, because the metrics must match the construct.
   *
   * @default - only the Powertools variables
   */
  readonly environment?: Record<string, string>;
  /**
   * Retention of the function's log group.
   *
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Minify the bundle (smaller, faster cold start, harder stack traces; `sourceMap` restores them).
   *
   * @default true
   */
  readonly minify?: boolean;
  /**
   * Emit a source map and enable it with `NODE_OPTIONS=--enable-source-maps` (costs cold-start time).
   *
   * @default false
   */
  readonly sourceMap?: boolean;
  /**
   * A description shown in the Lambda console.
   *
   * @default - none
   */
  readonly description?: string;
}

/**
 * Builds a `NodejsFunction` from a handler file with the house defaults: Node.js 24 on ARM64
 * (Graviton: cheaper per GB-second), a minified ES module bundle targeting node20 with the SDK
 * inside (see {@link HANDLER_BUNDLING}: faster cold starts), local esbuild bundling (no
 * Docker), an explicit log group with a retention, and a role of its own that may only write
 * to that log group — no `AWSLambdaBasicExecutionRole` managed policy, whose `logs:*` on `*`
 * is wider than the function needs.
 *
 * Children created in `scope`: `${id}` (the function), `${id}Role`, `${id}Logs`.
 *
 * @param scope the construct that owns the function
 * @param id the function's construct ID
 * @param options see {@link HandlerFunctionOptions}
 */
export function handlerFunction(scope: Construct, id: string, options: HandlerFunctionOptions): NodejsFunction {
  const logGroup = new LogGroup(scope, `${id}Logs`, { retention: options.logRetention ?? HANDLER_DEFAULTS.logRetention });
  const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  logGroup.grantWrite(role);
  return new NodejsFunction(scope, id, {
    entry: options.entry,
    handler: options.handler ?? 'handler',
    description: options.description,
    runtime: HANDLER_RUNTIME,
    architecture: Architecture.ARM_64,
    timeout: options.timeout ?? HANDLER_DEFAULTS.timeout,
    memorySize: options.memorySize ?? HANDLER_DEFAULTS.memorySize,
    role,
    logGroup,
    environment: handlerEnvironment(options),
    ...projectPaths(options.entry),
    bundling: {
      format: HANDLER_BUNDLING.format,
      target: HANDLER_BUNDLING.target,
      mainFields: [...HANDLER_BUNDLING.mainFields],
      banner: HANDLER_BUNDLING.banner,
      externalModules: [...HANDLER_BUNDLING.externalModules],
      minify: options.minify ?? HANDLER_BUNDLING.minify,
      sourceMap: options.sourceMap ?? false,
      forceDockerBundling: false,
      // esbuild's per-bundle size report would drown `cdk synth --quiet`; warnings still show.
      logLevel: LogLevel.WARNING,
    },
  });
}

/** The function's environment: the user's variables, then the Powertools ones. */
function handlerEnvironment(options: HandlerFunctionOptions): Record<string, string> {
  return {
    ...options.environment,
    ...(options.sourceMap ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
    [Env.serviceName]: options.serviceName,
    [Env.metricsNamespace]: METRICS_NAMESPACE,
  };
}

/**
 * Built-in entries (under this package) bundle against this package's lock file; a user's
 * entry in their own project keeps NodejsFunction's default lookup from the working directory.
 */
function projectPaths(entry: string): { projectRoot?: string; depsLockFilePath?: string } {
  if (!isInsidePackage(entry)) return {};
  const lockFile = join(packageRoot(), 'package-lock.json');
  return existsSync(lockFile) ? { projectRoot: packageRoot(), depsLockFilePath: lockFile } : {};
}
