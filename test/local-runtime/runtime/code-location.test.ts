import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProvisioningError } from '../../../local-runtime/runtime/errors';
import { locateHandler } from '../../../local-runtime/runtime/lambda/code-location';
import type { StackArtifact } from '../../../local-runtime/runtime/template/types';

const dir = mkdtempSync(join(tmpdir(), 'pp-code-test-'));
mkdirSync(join(dir, 'asset.abc', 'src'), { recursive: true });
writeFileSync(join(dir, 'asset.abc', 'index.mjs'), 'export const handler = () => 1;');
writeFileSync(join(dir, 'asset.abc', 'src', 'app.js'), 'exports.main = () => 1;');
mkdirSync(join(dir, 'staged-elsewhere'));
writeFileSync(join(dir, 'staged-elsewhere', 'index.js'), 'exports.handler = () => 1;');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inlineRoot = () => join(dir, 'inline');
const stack: StackArtifact = { artifactId: 'S', stackName: 'S', displayName: 'S', template: { Resources: {} }, assemblyDir: dir, assets: new Map([['def.zip', join(dir, 'staged-elsewhere')]]) };

describe('locateHandler', () => {
  it('finds the bundle of an S3Key as asset.<key without .zip>', () => {
    expect(locateHandler('Fn', { Runtime: 'nodejs24.x', Handler: 'index.handler', Code: { S3Key: 'abc.zip' } }, stack, inlineRoot)).toStrictEqual({ file: join(dir, 'asset.abc', 'index.mjs'), exportName: 'handler', format: 'esm' });
  });

  it('prefers the asset manifest\'s staging path', () => {
    expect(locateHandler('Fn', { Runtime: 'nodejs24.x', Handler: 'index.handler', Code: { S3Key: 'def.zip' } }, stack, inlineRoot).file).toBe(join(dir, 'staged-elsewhere', 'index.js'));
  });

  it('honours a handler path in a subfolder, loading .js as CommonJS', () => {
    expect(locateHandler('Fn', { Runtime: 'nodejs20.x', Handler: 'src/app.main', Code: { S3Key: 'abc.zip' } }, stack, inlineRoot)).toStrictEqual({ file: join(dir, 'asset.abc', 'src', 'app.js'), exportName: 'main', format: 'cjs' });
  });

  it('writes inline ZipFile code to a CommonJS index.js', () => {
    const location = locateHandler('Inline', { Runtime: 'nodejs24.x', Handler: 'index.handler', Code: { ZipFile: 'exports.handler = async () => 1;' } }, stack, inlineRoot);
    expect(location).toStrictEqual({ file: join(dir, 'inline', 'Inline', 'index.js'), exportName: 'handler', format: 'cjs' });
  });

  it('fails on a runtime other than Node.js', () => {
    expect(() => locateHandler('Py', { Runtime: 'python3.12', Handler: 'app.handler', Code: { S3Key: 'abc.zip' } }, stack, inlineRoot)).toThrow(ProvisioningError);
    expect(() => locateHandler('Py', { Runtime: 'python3.12', Handler: 'app.handler', Code: { S3Key: 'abc.zip' } }, stack, inlineRoot)).toThrow(/Py: runtime "python3\.12" is not supported locally/);
  });

  it('fails when the code is an S3 object the assembly does not stage, saying the function needs it to run', () => {
    const code = { S3Bucket: 'my-artifacts-bucket', S3Key: 'releases/app.zip' };
    expect(() => locateHandler('Fn', { Runtime: 'nodejs24.x', Handler: 'index.handler', Code: code }, stack, inlineRoot)).toThrow(/S3Key releases\/app\.zip is not staged.*the function needs its code to run/);
  });

  it('fails when the asset was not staged, naming the key', () => {
    expect(() => locateHandler('Fn', { Runtime: 'nodejs24.x', Handler: 'index.handler', Code: { S3Key: 'gone.zip' } }, stack, inlineRoot)).toThrow(/the asset of S3Key gone\.zip is not staged/);
  });
});
