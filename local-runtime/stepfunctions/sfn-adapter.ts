/**
 * Step Functions' JSON 1.0 protocol (`X-Amz-Target: AWSStepFunctions.<Operation>`) over
 * {@link LocalStateMachines}: StartExecution, DescribeExecution, ListExecutions, StopExecution,
 * the Map Run and read operations.
 */
import { AwsServiceError } from '../scheduling/errors';
import { epochSeconds, serveAwsJson, type WireRequest, type WireResponse } from '../scheduling/protocol';
import type { ExecutionRecord, ExecutionStatus } from './executions';
import type { LocalStateMachines } from './local-state-machines';
import { mapRunOperations } from './map-runs';
import { readOperations } from './read-operations';

type Input = Record<string, unknown>;

function arnParam(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || !value.startsWith('arn:')) throw new AwsServiceError('InvalidArn', 400, `Invalid Arn: '${String(value)}'`);
  return value;
}

function summary(r: ExecutionRecord): Input {
  return {
    executionArn: r.executionArn,
    stateMachineArn: r.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: epochSeconds(r.startDate),
    stopDate: r.stopDate === undefined ? undefined : epochSeconds(r.stopDate),
  };
}

function described(r: ExecutionRecord): Input {
  return {
    ...summary(r),
    input: r.input,
    inputDetails: { included: true },
    output: r.output,
    outputDetails: r.output === undefined ? undefined : { included: true },
    error: r.error,
    cause: r.cause,
  };
}

function operations(machines: LocalStateMachines) {
  return {
    ...mapRunOperations(machines.mapRuns),
    ...readOperations(machines),
    StartExecution: (i: Input) => {
      const out = machines.startExecution({ stateMachineArn: arnParam(i, 'stateMachineArn'), input: i.input as string | undefined, name: i.name as string | undefined });
      return { executionArn: out.executionArn, startDate: epochSeconds(out.startDate) };
    },
    DescribeExecution: (i: Input) => described(machines.describeExecution(arnParam(i, 'executionArn'))),
    ListExecutions: (i: Input) => {
      const out = machines.listExecutions({
        stateMachineArn: arnParam(i, 'stateMachineArn'),
        statusFilter: i.statusFilter as ExecutionStatus | undefined,
        maxResults: i.maxResults as number | undefined,
        nextToken: i.nextToken as string | undefined,
      });
      return { executions: out.executions.map(summary), nextToken: out.nextToken };
    },
    StopExecution: (i: Input) => {
      const out = machines.stopExecution({ executionArn: arnParam(i, 'executionArn'), error: i.error as string | undefined, cause: i.cause as string | undefined });
      return { stopDate: epochSeconds(out.stopDate) };
    },
  };
}

/** Serves one Step Functions JSON 1.0 request against `machines`. */
export function handleStepFunctionsRequest(machines: LocalStateMachines, req: WireRequest): Promise<WireResponse> {
  return serveAwsJson(req, '1.0', 'AWSStepFunctions', operations(machines));
}
