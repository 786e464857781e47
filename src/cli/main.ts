/**
 * The shell of every command: runs it, prints a {@link UserError}, or a file the machine would not let it
 * read or write, as one line on stderr and exits 2; anything else is a bug and keeps its stack trace.
 */
import { relative } from 'node:path';
import { fileErrorLine, UserError } from '../errors.ts';

/** A path as a command prints it: relative to the working directory when it lies below it. */
export function displayPath(path: string): string {
  const near = relative(process.cwd(), path);
  return near.startsWith('..') ? path : near;
}

/** Runs a command's main function with mixsim's error conventions. */
export function runCommand(main: (argv: string[]) => Promise<void> | void): void {
  // Output piped into a reader that stops early (`| head`): stop quietly, as command-line tools do. A study's
  // journal keeps every finished chunk, and its tables are written before the summary is printed.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .catch((error: unknown) => {
      // By name too: a UserError from another copy of the module (a thread, a study's own import) is one.
      if (error instanceof UserError || (error instanceof Error && error.name === 'UserError')) {
        process.stderr.write(`error: ${error.message}\n`);
        process.exit(2);
      }
      const line = fileErrorLine(error);
      if (line !== undefined) {
        process.stderr.write(`error: ${line}\n`);
        process.exit(2);
      }
      throw error;
    });
}
