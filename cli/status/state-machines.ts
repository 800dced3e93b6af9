/**
 * The state machine part of `pp status`: for each state machine ARN among the stack's outputs
 * (a fan-out, a workflow, a schedule loop), executions running now and how the latest ones
 * ended.
 */
import { ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';

/** One state machine's executions. */
export interface StateMachineStatus {
  /** Its name (the ARN's last part). */
  readonly name: string;
  readonly output: string;
  /** Executions RUNNING now (counted up to {@link RUNNING_CAP}). */
  readonly running: number;
  /** Of the latest {@link RECENT} executions that ended: how many failed, timed out or were aborted. */
  readonly recentFailed: number;
  /** Of the latest {@link RECENT} executions that ended: how many succeeded. */
  readonly recentSucceeded: number;
}

const STATE_MACHINE_ARN = /^arn:[a-z-]+:states:[a-z0-9-]*:\d{12}:stateMachine:([A-Za-z0-9_-]{1,80})$/;
/** Most running executions counted (ten pages). */
export const RUNNING_CAP = 10_000;
/** How many recent executions the failure count looks at. */
export const RECENT = 100;

/** The state machine ARNs among `outputs`, with their output key. */
export function stateMachinesOf(outputs: ReadonlyMap<string, string>): { output: string; arn: string }[] {
  return [...outputs].filter(([, v]) => STATE_MACHINE_ARN.test(v)).map(([output, arn]) => ({ output, arn }));
}

/** Statuses of the given state machines. */
export async function stateMachineStatuses(sfn: SFNClient, machines: readonly { output: string; arn: string }[]): Promise<StateMachineStatus[]> {
  return Promise.all(machines.map(async ({ output, arn }) => {
    let running = 0;
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING', maxResults: 1000, nextToken }));
      running += page.executions?.length ?? 0;
      nextToken = page.nextToken;
    } while (nextToken && running < RUNNING_CAP);
    const recent = ((await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: RECENT }))).executions ?? []).map((e) => e.status);
    return {
      name: STATE_MACHINE_ARN.exec(arn)?.[1] ?? arn, output, running,
      recentFailed: recent.filter((s) => s === 'FAILED' || s === 'TIMED_OUT' || s === 'ABORTED').length,
      recentSucceeded: recent.filter((s) => s === 'SUCCEEDED').length,
    };
  }));
}
