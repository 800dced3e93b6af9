/**
 * The flags an execution environment inherits: the host's, minus a TypeScript loader, whichever
 * way it was given (`npm start` runs under `--import tsx`; functions run bundled JavaScript).
 */
import { describe, expect, it } from 'vitest';
import { sandboxExecArgv } from '../../../local-runtime/runtime/lambda/function-host';

describe('sandboxExecArgv', () => {
  it('drops tsx given as a separate or an inline value, by name or by path', () => {
    expect(sandboxExecArgv(['--import', 'tsx'])).toStrictEqual([]);
    expect(sandboxExecArgv(['--import=tsx', '--cpu-prof'])).toStrictEqual(['--cpu-prof']);
    expect(sandboxExecArgv(['--require', '/p/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///p/node_modules/tsx/dist/loader.mjs', '--enable-source-maps']))
      .toStrictEqual(['--enable-source-maps']);
  });

  it('keeps every other flag and loader', () => {
    expect(sandboxExecArgv(['--import', './tsxish.mjs', '--max-old-space-size=512', '-r', 'dotenv/config'])).toStrictEqual(['--import', './tsxish.mjs', '--max-old-space-size=512', '-r', 'dotenv/config']);
  });
});
