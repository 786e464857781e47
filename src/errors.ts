/**
 * An error caused by what the user gave (a file, a column, a formula, a flag, an option), as opposed to a
 * bug. Command-line entry points print its message on one line and exit non-zero, without a stack trace.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** Throws a {@link UserError} with `message` unless `condition` holds. */
export function ensure(condition: unknown, message: string): asserts condition {
  if (!condition) throw new UserError(message);
}
