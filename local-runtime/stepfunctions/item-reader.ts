/**
 * A Distributed Map's ItemReader, as AWS documents it: `s3:getObject` with `ReaderConfig`
 * `InputType` JSON (an array), JSONL (one JSON value per line) or CSV (rows as objects keyed by
 * the first row or `CSVHeaders`), and `s3:listObjectsV2` (one item per object under a prefix:
 * `{ Etag, Key, LastModified, Size, StorageClass }`). `MaxItems` caps the items read.
 */
import { TaskFailure, TerminalTaskFailure } from './errors';
import { evaluateTemplate } from './payload-template';
import type { TaskCaller } from './task-handlers';

/** An S3 object as a listing describes it. */
export interface S3ObjectSummary {
  readonly Key: string;
  readonly Size: number;
  readonly ETag: string;
  /** Epoch ms. */
  readonly LastModified: number;
}

/** What the Step Functions service reads and writes in S3, on behalf of `caller` (its role). */
export interface S3Access {
  /** The object's body as text; rejects with an Error named like the S3 error code (e.g. NoSuchKey). */
  getObject(bucket: string, key: string, caller: TaskCaller): Promise<string>;
  /** Every object under the prefix, in key order. */
  listObjects(bucket: string, prefix: string, caller: TaskCaller): Promise<readonly S3ObjectSummary[]>;
  /** Writes an object (ResultWriter). */
  putObject(bucket: string, key: string, body: string, caller: TaskCaller): Promise<void>;
}

/** A Map's ItemReader field. */
export interface ItemReaderSpec {
  readonly Resource: string;
  readonly ReaderConfig?: { readonly InputType?: string; readonly CSVHeaderLocation?: string; readonly CSVHeaders?: readonly string[]; readonly MaxItems?: number };
  readonly Parameters?: Record<string, unknown>;
}

/** Splits one CSV line (RFC 4180 quotes, `""` escapes). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') (field += '"'), i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) fields.push(field), (field = '');
    else field += c;
  }
  fields.push(field);
  return fields;
}

function parseObject(body: string, config: NonNullable<ItemReaderSpec['ReaderConfig']>, where: string): unknown[] {
  try {
    switch (config.InputType) {
      case 'JSONL':
        return body.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
      case 'CSV': {
        const rows = body.split(/\r?\n/).filter((l) => l !== '').map(csvFields);
        const headers = config.CSVHeaderLocation === 'GIVEN' ? [...(config.CSVHeaders ?? [])] : (rows.shift() ?? []);
        return rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? ''])));
      }
      default: {
        const parsed: unknown = JSON.parse(body);
        if (!Array.isArray(parsed)) throw new Error('the object is not a JSON array');
        return parsed;
      }
    }
  } catch (err) {
    throw new TaskFailure('States.ItemReaderFailed', `${where}: ${(err as Error).message}`);
  }
}

/** Reads the items an ItemReader names. */
export async function readItems(reader: ItemReaderSpec, input: unknown, context: unknown, s3: S3Access | undefined, caller: TaskCaller): Promise<unknown[]> {
  if (!s3) throw new TerminalTaskFailure('States.Runtime', 'ItemReader needs S3, which this local Step Functions service was not given');
  const params = evaluateTemplate(reader.Parameters ?? {}, input, context) as { Bucket?: string; Key?: string; Prefix?: string };
  const config = reader.ReaderConfig ?? {};
  const bucket = String(params.Bucket ?? '');
  let items: unknown[];
  try {
    if (/:s3:listObjectsV2$/.test(reader.Resource)) {
      const listed = await s3.listObjects(bucket, params.Prefix ?? '', caller);
      items = listed.map((o) => ({ Etag: o.ETag, Key: o.Key, LastModified: Math.floor(o.LastModified / 1000), Size: o.Size, StorageClass: 'STANDARD' }));
    } else if (/:s3:getObject$/.test(reader.Resource)) {
      items = parseObject(await s3.getObject(bucket, String(params.Key ?? ''), caller), config, `s3://${bucket}/${params.Key}`);
    } else {
      throw new TerminalTaskFailure('States.Runtime', `ItemReader resource ${reader.Resource} is not served locally`);
    }
  } catch (err) {
    if (err instanceof TaskFailure) throw err;
    // What AWS reports when the reader cannot get the object (missing, denied).
    throw new TaskFailure('States.ItemReaderFailed', `${(err as Error).name}: ${(err as Error).message}`);
  }
  return config.MaxItems ? items.slice(0, config.MaxItems) : items;
}
