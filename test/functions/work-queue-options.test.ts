import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { Env } from '../../functions/contract';
import { ConfigError } from '../../functions/lib/errors';
import { resolveWorkQueueConfig, DEFAULT_ITEM_CONCURRENCY, type WorkQueueOptions } from '../../functions/lib/work-queue/options';
import { recordingSendPort } from '../../functions/lib/testing/recording-ports';

const processItem = async (): Promise<void> => undefined;
const silent = new Logger({ logLevel: 'SILENT' });

function resolve(options: Record<string, unknown>, env: Record<string, string> = {}) {
  const portsFor: string[] = [];
  const config = resolveWorkQueueConfig({ logger: silent, env, ...options } as WorkQueueOptions<unknown, unknown>, {
    sendPortFor: (url) => {
      portsFor.push(url);
      return recordingSendPort().port;
    },
  });
  return { config, portsFor };
}

function violations(options: Record<string, unknown>, env: Record<string, string> = {}): readonly string[] {
  try {
    resolve(options, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).violations;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveWorkQueueConfig', () => {
  it('defaults to 10 items at once and no DLQ', () => {
    const { config, portsFor } = resolve({ processItem });
    expect(config.itemConcurrency).toBe(DEFAULT_ITEM_CONCURRENCY);
    expect(config.deadLetter).toBeUndefined();
    expect(portsFor).toStrictEqual([]);
  });

  it('reads the concurrency and the DLQ URL from the environment', () => {
    const { config, portsFor } = resolve({ processItem }, { [Env.itemConcurrency]: '25', [Env.deadLetterQueueUrl]: 'http://127.0.0.1:1/q/dlq.fifo' });
    expect(config.itemConcurrency).toBe(25);
    expect(config.deadLetter?.fifo).toBe(true);
    expect(portsFor).toStrictEqual(['http://127.0.0.1:1/q/dlq.fifo']);
  });

  it('prefers options over the environment', () => {
    const { config, portsFor } = resolve({ processItem, itemConcurrency: 2, deadLetterQueueUrl: 'https://example.test/dlq' }, { [Env.itemConcurrency]: '25', [Env.deadLetterQueueUrl]: 'https://example.test/other' });
    expect(config.itemConcurrency).toBe(2);
    expect(portsFor).toStrictEqual(['https://example.test/dlq']);
  });

  it('fails on an unknown option, naming it', () => {
    expect(violations({ processItem, concurrency: 5 })).toStrictEqual([expect.stringMatching(/^workQueue: unknown option "concurrency" \(known: parse, /)]);
  });

  it('fails unless exactly one of processItem and processBatch is given', () => {
    expect(violations({})).toStrictEqual(['exactly one of processItem and processBatch must be given, got 0']);
    expect(violations({ processItem, processBatch: processItem })).toStrictEqual(['exactly one of processItem and processBatch must be given, got 2']);
    expect(violations({ processItem: 'handler.js' })).toStrictEqual(['processItem/processBatch must be a function, got "handler.js"']);
  });

  it('fails on a bad env concurrency, quoting the env var and its value', () => {
    expect(violations({ processItem }, { [Env.itemConcurrency]: 'ten' })).toStrictEqual([`${Env.itemConcurrency} (env) must be an integer from 1 to 1000, got "ten"`]);
    expect(violations({ processItem }, { [Env.itemConcurrency]: '0' })).toStrictEqual([`${Env.itemConcurrency} (env) must be an integer from 1 to 1000, got 0`]);
  });

  it('fails on a DLQ URL that is not http(s), quoting it', () => {
    expect(violations({ processItem }, { [Env.deadLetterQueueUrl]: 'work-dlq' })).toStrictEqual([`${Env.deadLetterQueueUrl} (env) must be an http(s) URL, got "work-dlq"`]);
  });

  it('collects every violation into one error', () => {
    expect(violations({ processItem, itemConcurrency: 1.5, maxRecordBytes: 2_000_000, bodyFormat: 'xml', parse: 3, extra: true })).toStrictEqual([
      expect.stringContaining('unknown option "extra"'),
      'parse must be a function, got 3',
      'bodyFormat must be "json" or "text", got "xml"',
      'itemConcurrency must be an integer from 1 to 1000, got 1.5',
      'maxRecordBytes must be an integer from 1 to 1048576, got 2000000',
    ]);
  });
});
