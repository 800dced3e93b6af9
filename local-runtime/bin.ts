/**
 * The `pp-local` executable the package installs (built to `dist/cli.js`): the local runtime's
 * command line without the TypeScript loader, for any CDK app's `cdk.out`.
 */
import { program } from './cli';

program().parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
  process.exit(2);
});
