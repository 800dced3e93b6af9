/**
 * AWS-shaped fixtures for Sparse Task adapter tests: the local EventBridge Scheduler
 * (local-runtime/scheduling) on a manual clock, served over HTTP on 127.0.0.1:0 so the real
 * `@aws-sdk/client-scheduler` talks to it. The task table is `createTaskTable` in `./dynalite`.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import type { DeliverFn } from '../../local-runtime/scheduling/delivery';
import { LocalScheduler } from '../../local-runtime/scheduling/scheduler-service';
import { startWireServer } from '../local-runtime/helpers/wire-server';
import { TEST_AWS } from './fauxqs';

/** A local EventBridge Scheduler on a manual clock, reachable by the SDK. */
export interface LocalSchedulerServer {
  readonly scheduler: LocalScheduler;
  readonly clock: ManualClock;
  /** An SDK client pointed at it. */
  readonly client: SchedulerClient;
  close(): Promise<void>;
}

/** Starts a local scheduler whose due schedules call `deliver`; creates `groups` first. */
export async function startLocalScheduler(deliver: DeliverFn, groups: readonly string[], start = Date.UTC(2025, 0, 1)): Promise<LocalSchedulerServer> {
  const clock = new ManualClock({ start });
  const scheduler = new LocalScheduler({ clock, deliver });
  for (const group of groups) scheduler.createScheduleGroup(group);
  const server = await startWireServer((req) => scheduler.handle(req));
  const client = new SchedulerClient({ ...TEST_AWS, endpoint: server.endpoint });
  return {
    scheduler, clock, client,
    close: async () => {
      client.destroy();
      scheduler.dispose();
      await server.close();
    },
  };
}
