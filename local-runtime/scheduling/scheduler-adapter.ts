/**
 * EventBridge Scheduler's REST-JSON protocol: routes `POST|GET|PUT|DELETE /schedules/{Name}`
 * and `GET /schedules` to a {@link LocalScheduler}. Timestamps travel as epoch seconds.
 */
import { AwsServiceError, validationError } from './errors';
import { epochSeconds, parseJsonObject, restJsonError, restJsonResponse, type WireRequest, type WireResponse } from './protocol';
import type { Schedule, ScheduleInput } from './scheduler-model';
import type { LocalScheduler } from './scheduler-service';

/** A Scheduler request reduced to its operation and all its parameters (path, query, body). */
export interface SchedulerRequest {
  /** `CreateSchedule`, `GetSchedule`, `UpdateSchedule`, `DeleteSchedule` or `ListSchedules`. */
  readonly operation: string;
  /** Body fields merged with `Name` from the path and the query parameters. */
  readonly params: Record<string, unknown>;
}

const ROUTES: Record<string, string> = {
  'POST /schedules/': 'CreateSchedule',
  'GET /schedules/': 'GetSchedule',
  'PUT /schedules/': 'UpdateSchedule',
  'DELETE /schedules/': 'DeleteSchedule',
  'GET /schedules': 'ListSchedules',
};

/**
 * Works out the operation and parameters of a Scheduler REST-JSON request; the gateway can
 * use it to feed the IAM checks (`iamChecksFor('scheduler', operation, params)`).
 * @throws AwsServiceError UnknownOperationException for routes not served locally
 */
export function parseSchedulerRequest(req: WireRequest): SchedulerRequest {
  const url = new URL(req.path, 'http://scheduler.local');
  const match = /^\/schedules(?:\/([^/]+))?\/?$/.exec(url.pathname);
  const operation = match ? ROUTES[`${req.method.toUpperCase()} /schedules${match[1] ? '/' : ''}`] : undefined;
  if (!match || !operation) throw new AwsServiceError('UnknownOperationException', 404, `${req.method} ${url.pathname} is not served locally`);
  const params: Record<string, unknown> = { ...parseJsonObject(req.body), ...Object.fromEntries(url.searchParams) };
  if (match[1]) params.Name = decodeURIComponent(match[1]);
  if (params.groupName !== undefined) params.GroupName = params.groupName;
  if (params.ScheduleGroup !== undefined) params.GroupName = params.ScheduleGroup;
  return { operation, params };
}

function toMs(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw validationError(`${field} must be a timestamp, got ${JSON.stringify(value)}`);
  return value * 1000;
}

function toInput(p: Record<string, unknown>): ScheduleInput {
  return {
    ...(p as unknown as ScheduleInput),
    Name: String(p.Name),
    GroupName: p.GroupName as string | undefined,
    StartDate: toMs(p.StartDate, 'StartDate'),
    EndDate: toMs(p.EndDate, 'EndDate'),
  };
}

function describe(s: Schedule): Record<string, unknown> {
  return {
    Arn: s.Arn,
    GroupName: s.GroupName,
    Name: s.Name,
    ScheduleExpression: s.ScheduleExpression,
    ScheduleExpressionTimezone: s.ScheduleExpressionTimezone,
    StartDate: s.StartDate === undefined ? undefined : epochSeconds(s.StartDate),
    EndDate: s.EndDate === undefined ? undefined : epochSeconds(s.EndDate),
    Description: s.Description,
    State: s.State,
    CreationDate: epochSeconds(s.CreationDate),
    LastModificationDate: epochSeconds(s.LastModificationDate),
    Target: s.Target,
    FlexibleTimeWindow: s.FlexibleTimeWindow,
    ActionAfterCompletion: s.ActionAfterCompletion,
  };
}

function dispatch(scheduler: LocalScheduler, { operation, params: p }: SchedulerRequest): unknown {
  switch (operation) {
    case 'CreateSchedule':
      return scheduler.createSchedule(toInput(p));
    case 'UpdateSchedule':
      return scheduler.updateSchedule(toInput(p));
    case 'GetSchedule':
      return describe(scheduler.getSchedule(String(p.Name), p.GroupName as string | undefined));
    case 'DeleteSchedule':
      scheduler.deleteSchedule(String(p.Name), p.GroupName as string | undefined);
      return {};
    default: {
      const max = p.MaxResults === undefined ? undefined : Number(p.MaxResults);
      const { Schedules, NextToken } = scheduler.listSchedules({ ...p, MaxResults: max } as Parameters<LocalScheduler['listSchedules']>[0]);
      const page = Schedules.map((s) => ({ ...s, CreationDate: epochSeconds(s.CreationDate), LastModificationDate: epochSeconds(s.LastModificationDate) }));
      return { Schedules: page, NextToken };
    }
  }
}

/** Serves one Scheduler REST-JSON request against `scheduler`. */
export async function handleSchedulerRequest(scheduler: LocalScheduler, req: WireRequest): Promise<WireResponse> {
  try {
    return restJsonResponse(200, dispatch(scheduler, parseSchedulerRequest(req)));
  } catch (err) {
    return restJsonError(err);
  }
}
