/**
 * The document demo's worker: reads each listed document from S3, analyses it in chunks, and
 * lets the validator set aside documents with no entity. Injected flakiness: a document whose
 * key falls under `PP_DEMO_FLAKY_PERCENT` fails its first attempt in each worker (a transient
 * `UpstreamTimeout`), so the state machine's retries with jitter are seen working; a document
 * whose text says `CORRUPT` fails for good.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { fanOutWorker } from '../fan-out-fan-in/worker-factory';
import { PermanentItemError } from '../lib/fan-out-fan-in/errors';
import { analyseDocument, type DocumentFindings, keyPercentile } from './documents';

const s3 = new S3Client({ forcePathStyle: true });
const bucket = process.env.PP_DEMO_SOURCE_BUCKET ?? '';
const flakyPercent = Number(process.env.PP_DEMO_FLAKY_PERCENT ?? '0');
const attempted = new Set<string>();

/** A listed S3 object, as the Distributed Map's ItemReader gives it. */
interface Listed {
  readonly Key: string;
}

/** The Lambda handler. */
export const handler = fanOutWorker<Listed, DocumentFindings>({
  itemRef: (item) => item.Key,
  processItem: async ({ Key }) => {
    if (keyPercentile(Key) < flakyPercent && !attempted.has(Key)) {
      attempted.add(Key);
      throw Object.assign(new Error(`upstream timed out reading ${Key}`), { name: 'UpstreamTimeout' });
    }
    const text = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToString();
    if (text.includes('CORRUPT')) throw new PermanentItemError(`${Key} is not a readable document`);
    return analyseDocument(Key, text);
  },
  validate: (findings) => (Object.keys(findings.entities).length > 0 ? true : { invalid: 'no entity found' }),
});
