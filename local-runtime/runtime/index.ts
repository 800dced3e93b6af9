/**
 * The embedded local runtime's public API: run any CDK app's synthesized stack without AWS
 * and without Docker, send it items, and read the accounting. Re-exports only.
 *
 * ```ts
 * const runtime = await LocalRuntime.start({ assemblyDir: 'cdk.out', stackName: 'MyStack' });
 * const { report } = await runToCompletion({ runtime, queueUrl: runtime.queue('IngressUrl').url, bodies, countDone });
 * console.log(summaryLine(report));
 * await runtime.stop();
 * ```
 */
export { LocalRuntime, type LocalQueue, type LocalRuntimeOptions, type ReportInput } from './local-runtime';
export { buildReport, functionErrorLines, operationTable, runPassed, serviceTable, summaryLine, type AccountingReport, type ServiceLine } from './accounting/report';
export { billableRequests, REQUESTS_DEFINITION, tallyByService, type ServiceTally } from './accounting/billing';
export type { IdentifiedRequest } from './gateway/identify';
export type { InvocationOutcomes } from './lambda/invocation-stats';
export { providedSdkVersion } from './lambda/provided-sdk-version';
export type { RequestCountRow } from './accounting/request-counter';
export { runToCompletion, type RunOptions, type RunResult } from './driver/run-to-completion';
export { ProgressReporter, type ProgressOptions } from './driver/progress';
export { packBatches, sendAll, type SendOptions } from './driver/send';
export type { SettleOptions } from './driver/settle';
export type { FaultOptions, FaultStats } from './faults/fault-injector';
export { LocalAwsClient, LocalCallError } from './gateway/local-client';
export {
  AccessDeniedError, AssemblyError, IntrinsicError, InvocationError, LocalRuntimeError, ProvisioningError, RuntimeConfigError, SettleTimeoutError,
} from './errors';
