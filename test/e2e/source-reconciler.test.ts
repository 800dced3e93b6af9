/**
 * End to end on the embedded local runtime: the synthesized SourceReconciler lists an S3
 * prefix every minute (manual clock) and enqueues only what it has not enqueued before.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueBodies, startE2ERuntime, type E2ERuntime } from '../helpers/e2e-runtime';
import { ReconcilerOutput, reconcilerStack } from './source-reconciler-fixtures/stack';

const MINUTE = 60_000;
let e2e: E2ERuntime;
let s3: S3Client;

beforeAll(async () => {
  e2e = await startE2ERuntime({ define: reconcilerStack });
  s3 = new S3Client({ ...e2e.runtime.clientConfig(), forcePathStyle: true });
}, 300_000);

afterAll(async () => {
  s3?.destroy();
  await e2e?.stop();
});

const put = (key: string, body = key) => s3.send(new PutObjectCommand({ Bucket: e2e.runtime.output(ReconcilerOutput.bucketName), Key: key, Body: body }));
const enqueuedKeys = async () => (await queueBodies<{ key: string }>(e2e.runtime, ReconcilerOutput.workUrl)).map((b) => b.key).sort();

describe('SourceReconciler end to end (local runtime, S3 prefix, manual clock)', () => {
  it('enqueues each object under the prefix once across runs, a rewritten object again, nothing outside the prefix', async () => {
    for (let i = 0; i < 12; i++) await put(`incoming/img-${String(i).padStart(2, '0')}.jpg`);
    await put('elsewhere/skip.jpg');
    await e2e.runtime.advanceClock(MINUTE);
    expect(await enqueuedKeys()).toStrictEqual(Array.from({ length: 12 }, (_, i) => `incoming/img-${String(i).padStart(2, '0')}.jpg`));

    await put('incoming/img-12.jpg');
    await put('incoming/img-03.jpg', 'rewritten');
    await e2e.runtime.advanceClock(MINUTE);
    await e2e.runtime.advanceClock(MINUTE);
    const keys = await enqueuedKeys();
    expect(keys.length).toBe(14);
    expect(keys.filter((k) => k === 'incoming/img-03.jpg')).toHaveLength(2);
    expect(keys).toContain('incoming/img-12.jpg');
  });
});
