/**
 * Lambda's read operations over the stack's functions: `ListFunctions`
 * (`GET /2015-03-31/functions/`, paged by `Marker`/`MaxItems`), `GetFunction`
 * (`GET /2015-03-31/functions/{name}`) and `GetFunctionConfiguration` (`…/configuration`),
 * answered from the resolved template as Lambda describes a deployed function.
 */
import type { WireResponse } from '../../scheduling/protocol';
import type { ResourceCatalog } from '../template/catalog';

/** One function's configuration, as Lambda's FunctionConfiguration shape. */
export type FunctionConfiguration = Record<string, unknown>;

/** Lambda's page size limit for ListFunctions. */
const MAX_ITEMS = 50;

function json(status: number, body: unknown, errorType?: string): WireResponse {
  return { status, headers: { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) }, body: JSON.stringify(body) };
}

function configurationOf(catalog: ResourceCatalog, logicalId: string, lastModified: string): FunctionConfiguration {
  const p = catalog.properties(logicalId);
  const variables = (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
  const code = p.Code as { ZipFile?: unknown } | undefined;
  return {
    FunctionName: catalog.physicalName(logicalId),
    FunctionArn: String(catalog.getAtt(logicalId, 'Arn')),
    Runtime: p.Runtime,
    Role: p.Role,
    Handler: p.Handler,
    CodeSize: typeof code?.ZipFile === 'string' ? Buffer.byteLength(code.ZipFile) : 0,
    Description: p.Description ?? '',
    Timeout: Number(p.Timeout ?? 3),
    MemorySize: Number(p.MemorySize ?? 128),
    LastModified: lastModified,
    Version: '$LATEST',
    ...(variables ? { Environment: { Variables: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])) } } : {}),
    ...(p.DeadLetterConfig ? { DeadLetterConfig: p.DeadLetterConfig } : {}),
    TracingConfig: { Mode: (p.TracingConfig as { Mode?: string } | undefined)?.Mode ?? 'PassThrough' },
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: p.PackageType ?? 'Zip',
    Architectures: p.Architectures ?? ['x86_64'],
    EphemeralStorage: p.EphemeralStorage ?? { Size: 512 },
  };
}

/** Serves the read operations; built once per runtime from its catalog. */
export class LambdaReadApi {
  private readonly functions: FunctionConfiguration[];

  /** @param catalog the stack's resources */
  constructor(catalog: ResourceCatalog) {
    const bootedAt = new Date().toISOString().replace('Z', '+0000');
    this.functions = catalog.ofType('AWS::Lambda::Function').map(([id]) => configurationOf(catalog, id, bootedAt));
  }

  /** Whether this API serves `operation`. */
  public serves(operation: string): boolean {
    return operation === 'ListFunctions' || operation === 'GetFunction' || operation === 'GetFunctionConfiguration';
  }

  /**
   * Answers one request.
   * @param operation `ListFunctions`, `GetFunction` or `GetFunctionConfiguration`
   * @param url the request's path and query
   */
  public serve(operation: string, url: string): WireResponse {
    const [path = '', query = ''] = url.split('?');
    if (operation === 'ListFunctions') return this.list(new URLSearchParams(query));
    const name = decodeURIComponent(path.split('/')[3] ?? '');
    const found = this.find(name);
    if (!found) return json(404, { Type: 'User', message: `Function not found: ${name}` }, 'ResourceNotFoundException');
    if (operation === 'GetFunctionConfiguration') return json(200, found);
    return json(200, { Configuration: found, Code: { RepositoryType: 'S3' }, Tags: {} });
  }

  private find(nameOrArn: string): FunctionConfiguration | undefined {
    // A name, a partial ARN (account:function:name) or a full ARN, with or without a qualifier.
    const name = nameOrArn.includes(':function:') ? nameOrArn.split(':function:')[1]!.split(':')[0] : nameOrArn.split(':')[0];
    return this.functions.find((f) => f.FunctionName === name);
  }

  private list(query: URLSearchParams): WireResponse {
    const marker = query.get('Marker');
    const start = marker && /^\d+$/.test(marker) ? Number(marker) : 0;
    const requested = Number(query.get('MaxItems') ?? MAX_ITEMS);
    if (!Number.isInteger(requested) || requested < 1 || requested > 10_000) {
      return json(400, { Type: 'User', message: `1 validation error detected: Value '${query.get('MaxItems')}' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1` }, 'InvalidParameterValueException');
    }
    const size = Math.min(requested, MAX_ITEMS);
    const page = this.functions.slice(start, start + size);
    return json(200, { Functions: page, ...(start + size < this.functions.length ? { NextMarker: String(start + size) } : {}) });
  }
}
