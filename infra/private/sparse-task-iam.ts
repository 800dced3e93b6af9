import { Annotations, Stack } from 'aws-cdk-lib';
import { Grant, IGrantable, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag-acknowledgements';

/** The service principal of EventBridge Scheduler. */
const SCHEDULER_SERVICE = 'scheduler.amazonaws.com';

/** The ARNs of every schedule in `group`. */
function scheduleArnsIn(scope: Construct, group: IScheduleGroup): string {
  return Stack.of(scope).formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${group.scheduleGroupName}/*` });
}

/**
 * The role EventBridge Scheduler assumes to invoke `monitor`: trusted by the scheduler only for
 * this account's schedules in `group` (confused-deputy guard), allowed to invoke that function
 * (not its versions or aliases) and to send to `deadLetterQueue`, nothing else.
 */
export function schedulerRole(scope: Construct, id: string, group: IScheduleGroup, monitor: IFunction, deadLetterQueue: IQueue): Role {
  const role = new Role(scope, id, {
    assumedBy: new ServicePrincipal(SCHEDULER_SERVICE, {
      conditions: {
        StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
        ArnLike: { 'aws:SourceArn': scheduleArnsIn(scope, group) },
      },
    }),
    description: `EventBridge Scheduler invoking the timeout monitor of ${scope.node.path}`,
  });
  Grant.addToPrincipal({ grantee: role, actions: ['lambda:InvokeFunction'], resourceArns: [monitor.functionArn] });
  deadLetterQueue.grantSendMessages(role);
  return role;
}

/**
 * Grants `fn` exactly `actions` on the schedules of `group` (the group's own write grant would
 * add UpdateSchedule and ListSchedules), in a policy of its own: schedule names are chosen per
 * task at run time, so the resource must be `schedule/<group>/*`, and cdk-nag's wildcard finding
 * is acknowledged for that one resource on that one policy.
 */
export function grantScheduleActions(scope: Construct, id: string, fn: IFunction, group: IScheduleGroup, ...actions: string[]): void {
  const actionNames = actions.map((action) => `scheduler:${action}`);
  if (!fn.role) {
    Annotations.of(scope).addWarningV2('pp-patterns:SparseTask.functionWithoutRole',
      `${id} was imported without a role: grant it ${actionNames.join(', ')} on the schedules of ${group.scheduleGroupName} yourself.`);
    return;
  }
  const resource = scheduleArnsIn(scope, group);
  const policy = new Policy(scope, `${id}SchedulesPolicy`, { statements: [new PolicyStatement({ actions: actionNames, resources: [resource] })] });
  policy.attachToRole(fn.role);
  acknowledgeWildcardResource(policy, resource, 'Timeout schedules are named per task at run time; the resource is limited to the schedules of this construct\'s own schedule group.');
}

/** Lets `grantee` pass `role` to EventBridge Scheduler only (grantPassRole has no service condition). */
export function grantPassRoleToScheduler(grantee: IGrantable, role: Role): void {
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({
    actions: ['iam:PassRole'], resources: [role.roleArn], conditions: { StringEquals: { 'iam:PassedToService': SCHEDULER_SERVICE } },
  }));
}
