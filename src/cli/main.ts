/**
 * The shell of every command: runs it, prints a {@link UserError} as one line on stderr and exits 2;
 * anything else is a bug and keeps its stack trace.
 */
import { UserError } from '../errors.ts';

/** Runs a command's main function with mixsim's error conventions. */
export function runCommand(main: (argv: string[]) => Promise<void> | void): void {
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .catch((error: unknown) => {
      // By name too: a UserError from another copy of the module (a thread, a study's own import) is one.
      if (error instanceof UserError || (error instanceof Error && error.name === 'UserError')) {
        process.stderr.write(`error: ${error.message}\n`);
        process.exit(2);
      }
      throw error;
    });
}
