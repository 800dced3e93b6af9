/**
 * CloudFormation's `DescribeStacks` for the one stack a runtime runs, so an operator's tool
 * (`pp`, or any SDK client) finds queues, tables and state machines through the stack's
 * outputs exactly as it would on AWS. Query protocol (form in, XML out), as the SDK speaks it.
 * Every other CloudFormation operation answers as unsupported.
 */
import type { WireResponse } from '../../scheduling/protocol';
import { errorResponse } from '../gateway/error-shapes';
import type { BackendRequest, ServiceBackend } from '../gateway/server';

/** The stack as `DescribeStacks` describes it. */
export interface DescribedStack {
  readonly stackName: string;
  readonly stackId: string;
  /** When the runtime booted it. */
  readonly createdAt: Date;
  /** Resolved outputs, in template order. */
  readonly outputs: () => readonly { readonly key: string; readonly value: string; readonly description?: string }[];
}

const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/** The CloudFormation backend of the gateway. */
export function cloudFormationBackend(stack: DescribedStack): ServiceBackend {
  return async (request: BackendRequest): Promise<WireResponse> => {
    const { identified } = request;
    if (identified.operation !== 'DescribeStacks') {
      return errorResponse(identified, { code: 'UnsupportedOperation', queryCode: 'InvalidAction', jsonStatus: 400, restStatus: 400, message: `CloudFormation ${identified.operation} is not served locally (only DescribeStacks)` });
    }
    const wanted = identified.input.StackName;
    if (typeof wanted === 'string' && wanted !== stack.stackName && wanted !== stack.stackId) {
      return errorResponse(identified, { code: 'ValidationError', queryCode: 'ValidationError', jsonStatus: 400, restStatus: 400, message: `Stack with id ${wanted} does not exist` });
    }
    return { status: 200, headers: { 'content-type': 'text/xml' }, body: describeStacksXml(stack) };
  };
}

function describeStacksXml(stack: DescribedStack): string {
  const outputs = stack.outputs().map((o) =>
    `<member><OutputKey>${esc(o.key)}</OutputKey><OutputValue>${esc(o.value)}</OutputValue>${o.description === undefined ? '' : `<Description>${esc(o.description)}</Description>`}</member>`,
  ).join('');
  return `<DescribeStacksResponse xmlns="${XMLNS}"><DescribeStacksResult><Stacks><member>` +
    `<StackName>${esc(stack.stackName)}</StackName><StackId>${esc(stack.stackId)}</StackId>` +
    `<CreationTime>${stack.createdAt.toISOString()}</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus>` +
    `<Outputs>${outputs}</Outputs></member></Stacks></DescribeStacksResult>` +
    '<ResponseMetadata><RequestId>local</RequestId></ResponseMetadata></DescribeStacksResponse>';
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
