import { describe, expect, it } from 'vitest';
import { PoisonRecordError } from '../../../functions/lib/errors';
import { compose, StepFailedError } from '../../../functions/lib/routing/compose';

const ctx = { itemId: 'm1' };

describe('compose', () => {
  it('runs steps left to right, each output feeding the next', async () => {
    const detect = (img: string): string[] => [`${img}:face`];
    const tag = async (faces: string[]): Promise<string[]> => faces.map((f) => `${f}#tagged`);
    const blur = (faces: string[]): string => faces.join(',') + ':blurred';
    expect(await compose(detect, tag, blur)('img', ctx)).toBe('img:face#tagged:blurred');
  });

  it('passes the item context to every step', async () => {
    const seen: string[] = [];
    const step = (x: number, c: { itemId: string }): number => (seen.push(c.itemId), x + 1);
    await compose(step, step)(0, ctx);
    expect(seen).toStrictEqual(['m1', 'm1']);
  });

  it('stops at the first failing step', async () => {
    const calls: string[] = [];
    const fail = (): never => {
      throw new Error('no face');
    };
    await expect(compose((x: number) => (calls.push('a'), x), fail, () => calls.push('c'))(1, ctx)).rejects.toBeInstanceOf(StepFailedError);
    expect(calls).toStrictEqual(['a']);
  });

  it('names the failed step and keeps the cause', async () => {
    const cause = new Error('no face');
    const detectFaces = (): never => {
      throw cause;
    };
    const error = await compose((x: number) => x, detectFaces)(1, ctx).catch((e: unknown) => e);
    expect([error instanceof StepFailedError, (error as StepFailedError).stepIndex, (error as StepFailedError).stepName, (error as Error).cause]).toStrictEqual([
      true,
      1,
      'detectFaces',
      cause,
    ]);
  });

  it('keeps a poison error poison, with the step in its reason', async () => {
    const parse = (): never => {
      throw new PoisonRecordError('not an image');
    };
    const error = await compose(parse)(1, ctx).catch((e: unknown) => e);
    expect([error instanceof PoisonRecordError, (error as PoisonRecordError).reason]).toStrictEqual([true, 'step 0 (parse): not an image']);
  });

  it('fails if no step is given', () => {
    expect(() => compose()).toThrow(/at least one step/);
  });
});
