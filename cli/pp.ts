/**
 * `pp`: operate a deployed pp-patterns pipeline — on AWS (default credential chain), LocalStack
 * or the local runtime (`--endpoint-url`).
 *
 *   pp send     JSON lines to a queue: batched, concurrent, resumable, with progress
 *   pp status   backlog, in flight, DLQ depth, flags, polls, pending tasks
 *   pp redrive  dead-lettered messages back where they failed
 *   pp plan     model a declared load (no AWS call)
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { planCommand } from './commands/plan';
import { redriveCommand } from './commands/redrive';
import { sendCommand } from './commands/send';
import { statusCommand } from './commands/status';

/** Builds the `pp` program (exported so tests can parse arguments without a process). */
export function ppProgram(): Command {
  return new Command('pp')
    .description('feed, watch and plan pp-patterns pipelines')
    .addCommand(sendCommand())
    .addCommand(statusCommand())
    .addCommand(redriveCommand())
    .addCommand(planCommand());
}

/** True when this file is the process's entry, also through npm's `.bin/pp` symlink. */
function isEntry(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntry()) {
  // The SDK's Node-version notice is not the operator's concern on every command.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // `pp status | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  ppProgram().parseAsync(process.argv).catch((error: unknown) => {
    process.stderr.write(`pp: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
