/**
 * The Lambda `Invoke` API (REST-JSON, `POST /2015-03-31/functions/{name}/invocations`) served
 * by the local hosts, so a function can invoke another with `@aws-sdk/client-lambda`.
 */
import type { WireResponse } from '../../scheduling/protocol';
import { InvocationError } from '../errors';
import type { BackendRequest, ServiceBackend } from '../gateway/server';
import type { LambdaRegistry } from './lambda-registry';
import type { LambdaReadApi } from './read-api';

function reply(status: number, body: string, headers: Record<string, string> = {}): WireResponse {
  return { status, headers: { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', ...headers }, body };
}

function notFound(name: string): WireResponse {
  return { status: 404, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' }, body: JSON.stringify({ message: `Function not found: ${name}` }) };
}

/**
 * The Lambda backend of the gateway.
 * @param reads serves ListFunctions, GetFunction, GetFunctionConfiguration (@default - not served)
 */
export function lambdaBackend(lambdas: LambdaRegistry, reads?: LambdaReadApi): ServiceBackend {
  return async (request: BackendRequest) => {
    if (reads?.serves(request.identified.operation)) return reads.serve(request.identified.operation, request.path);
    if (request.identified.operation !== 'Invoke') {
      return { status: 400, headers: { 'x-amzn-errortype': 'InvalidRequestContentException' }, body: JSON.stringify({ message: `${request.identified.operation} is not served locally` }) };
    }
    const name = decodeURIComponent(request.path.split('?')[0]!.split('/')[3] ?? '');
    if (!lambdas.has(name)) return notFound(name);
    const event: unknown = request.body ? JSON.parse(request.body) : {};
    const type = request.headers['x-amz-invocation-type'] ?? 'RequestResponse';
    if (type === 'DryRun') return reply(204, '');
    if (type === 'Event') {
      lambdas.invokeAsync(name, event);
      return reply(202, '');
    }
    try {
      return reply(200, JSON.stringify(await lambdas.invoke(name, event)));
    } catch (err) {
      const e = err instanceof InvocationError ? err : new InvocationError(name, 'Error', String(err));
      return reply(200, JSON.stringify({ errorType: e.errorType, errorMessage: e.errorMessage, trace: e.trace }), { 'x-amz-function-error': 'Unhandled' });
    }
  };
}
