/**
 * Runs a command's `main` and exits with its code: 2, with the error's name and message on
 * stderr, when it throws (a usage or setup failure, as opposed to a run that found a fault).
 *
 * @param main resolves with the exit code
 */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
      process.exit(2);
    },
  );
}
