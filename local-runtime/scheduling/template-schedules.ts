/**
 * Turns a synthesized template's schedule and rule resources, with their intrinsics already
 * resolved by the runtime, into timers and rules on the local services:
 * `AWS::Events::EventBus`, `AWS::Events::Rule` (ScheduleExpression and/or EventPattern),
 * `AWS::Scheduler::ScheduleGroup` and `AWS::Scheduler::Schedule`.
 */
import type { LocalEventBridge } from './event-bus';
import type { RuleTarget } from './event-rules';
import { validationError } from './errors';
import type { ScheduleInput } from './scheduler-model';
import type { LocalScheduler } from './scheduler-service';

/** A template resource whose properties hold no intrinsics any more. */
export interface ResolvedResource {
  /** The logical id in the template. */
  readonly logicalId: string;
  /** The CloudFormation type, e.g. `AWS::Events::Rule`. */
  readonly type: string;
  /** The resolved `Properties`. */
  readonly properties: Record<string, unknown>;
}

/** What a registered resource is called: its `Ref` (name) and `Fn::GetAtt Arn`. */
export interface RegisteredResource {
  readonly name: string;
  readonly arn: string;
}

/** The resource types {@link registerScheduleResource} handles. */
export const SCHEDULE_RESOURCE_TYPES: readonly string[] = ['AWS::Events::EventBus', 'AWS::Events::Rule', 'AWS::Scheduler::ScheduleGroup', 'AWS::Scheduler::Schedule'];

/** The local services template schedules are registered on. */
export interface ScheduleServices {
  readonly scheduler: LocalScheduler;
  readonly eventBridge: LocalEventBridge;
}

function nameFor(resource: ResolvedResource, physicalName: string | undefined): string {
  const given = resource.properties.Name;
  if (typeof given === 'string') return given;
  // CloudFormation generates a name when none is given; the logical id is stable and readable.
  return (physicalName ?? resource.logicalId).replace(/[^\w.-]/g, '-').slice(0, 64);
}

function isoToMs(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw validationError(`${field} must be an ISO 8601 date, got ${JSON.stringify(value)}`);
  return ms;
}

function registerRule(resource: ResolvedResource, name: string, bus: LocalEventBridge): RegisteredResource {
  const p = resource.properties;
  const eventBusName = p.EventBusName as string | undefined;
  const { RuleArn } = bus.putRule({
    Name: name,
    EventBusName: eventBusName,
    EventPattern: p.EventPattern as object | string | undefined,
    ScheduleExpression: p.ScheduleExpression as string | undefined,
    State: p.State as string | undefined,
    Description: p.Description as string | undefined,
  });
  bus.putTargets(name, (p.Targets ?? []) as RuleTarget[], eventBusName);
  return { name, arn: RuleArn };
}

function registerSchedule(resource: ResolvedResource, name: string, scheduler: LocalScheduler): RegisteredResource {
  const p = resource.properties;
  const input = {
    ...p,
    Name: name,
    StartDate: isoToMs(p.StartDate, `${resource.logicalId}.StartDate`),
    EndDate: isoToMs(p.EndDate, `${resource.logicalId}.EndDate`),
  } as ScheduleInput;
  return { name, arn: scheduler.createSchedule(input).ScheduleArn };
}

/**
 * Registers one resolved template resource on the local services.
 * @param physicalName the name the runtime gave the resource, used when `Name` is not set
 * @returns its name and ARN, or undefined when the type is not a schedule/rule type
 * @throws AwsServiceError for invalid properties (bad expressions, patterns, names)
 */
export function registerScheduleResource(resource: ResolvedResource, services: ScheduleServices, physicalName?: string): RegisteredResource | undefined {
  const name = nameFor(resource, physicalName);
  switch (resource.type) {
    case 'AWS::Events::EventBus':
      return { name, arn: services.eventBridge.createEventBus(name) };
    case 'AWS::Events::Rule':
      return registerRule(resource, name, services.eventBridge);
    case 'AWS::Scheduler::ScheduleGroup':
      return { name, arn: services.scheduler.createScheduleGroup(name) };
    case 'AWS::Scheduler::Schedule':
      return registerSchedule(resource, name, services.scheduler);
    default:
      return undefined;
  }
}
