import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the Lambda workers, without declarations
import { mayImportSdk } from '../../../local-runtime/runtime/lambda/provided-sdk.mjs';

const only = (files: string[]) => () => files;

describe('mayImportSdk: when a worker needs the SDK loader hooks', () => {
  it('is false for a lone bundle that carries the SDK inside (no @aws-sdk specifier left)', () => {
    expect(mayImportSdk('/a/index.mjs', () => 'var client=new DynamoDBClient({});export const handler=()=>1;', only(['/a/index.mjs']))).toBe(false);
  });

  it('is true for a lone bundle that leaves the SDK external', () => {
    expect(mayImportSdk('/a/index.mjs', () => 'import { SQSClient } from "@aws-sdk/client-sqs";', only(['/a/index.mjs']))).toBe(true);
  });

  it('is true when other code files sit beside the entry, whatever the entry says', () => {
    expect(mayImportSdk('/a/index.mjs', () => 'import "./lib.mjs";', only(['/a/index.mjs', '/a/lib.mjs']))).toBe(true);
  });
});
