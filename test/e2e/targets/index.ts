/**
 * Where the demo stack's end-to-end suite runs: `demoTarget()` picks the deployed stack named by
 * `PP_STACK_OUTPUTS`, or else boots the embedded runtime from a synthesized demo assembly; both
 * answer the same {@link DemoTarget} interface. Re-exports only.
 */
export {
  demoOrderBody, demoOrderId, demoOrderPrefix, hasInvalidLine, hasUnknownShipping, isExpressOrder, isPoisonOrder, orderIdOf, shippingOf, stockEventBody,
} from './demo-orders';
export { urlList } from './outputs';
export { demoNaiveRequests, demoRequestFloor } from './request-floor';
export { runOrders, waitUntilDoneOrDeadLettered, deadLetteredOrders, type DemoRun, type WaitClock, type WaitOptions, type WaitResult } from './run';
export { demoTarget, resolveDemoTarget, type DemoTargetOptions, type DemoTargetSpec, type DeployedDemoSpec } from './select';
export type { EmbeddedOptions } from './embedded';
export type { DeadLetter, DemoTarget, Polling, Progress, SdkClientConfig } from './types';
