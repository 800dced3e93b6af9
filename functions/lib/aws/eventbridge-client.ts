/**
 * The process-wide EventBridge client, shared by every adapter that puts events (Sparse Task's
 * finished events, the Rolling Poller's completion events) so a warm Lambda builds it once.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

let sharedClient: EventBridgeClient | undefined;

/** The process-wide EventBridge client, configured from the environment. */
export function sharedEventBridgeClient(): EventBridgeClient {
  return (sharedClient ??= new EventBridgeClient({}));
}
