/**
 * The process-wide EventBridge client, shared by every adapter that puts events (Sparse Task's
 * finished events, the Rolling Poller's completion events) so a warm Lambda builds it once.
 * The package is imported on first use: a handler whose events go to a queue never loads it.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';

let eventBridgePackage: Promise<typeof import('@aws-sdk/client-eventbridge')> | undefined;
let sharedClient: Promise<EventBridgeClient> | undefined;

/** The EventBridge client package, imported once, on first use. */
export function loadEventBridge(): Promise<typeof import('@aws-sdk/client-eventbridge')> {
  return (eventBridgePackage ??= import('@aws-sdk/client-eventbridge'));
}

/** The process-wide EventBridge client, configured from the environment. */
export function sharedEventBridgeClient(): Promise<EventBridgeClient> {
  return (sharedClient ??= loadEventBridge().then(({ EventBridgeClient }) => new EventBridgeClient({})));
}
