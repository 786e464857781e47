/**
 * An error caused by what the user gave (a file, a column, a formula, a flag, an option), as opposed to a
 * bug. Command-line entry points print its message on one line and exit non-zero, without a stack trace.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** A value as an error message shows it: NaN and Infinity as themselves (JSON would write null), a text in quotes. */
export function showValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(showValue).join(', ')}]`;
  return JSON.stringify(value) ?? String(value);
}

/** Throws a {@link UserError} with `message` unless `condition` holds. */
export function ensure(condition: unknown, message: string): asserts condition {
  if (!condition) throw new UserError(message);
}

/** A Node system error (from `fs`, a spawn): its code, the call that failed and the path it failed on. */
type SystemError = Error & { code: string; syscall: string; path?: string };

function isSystemError(error: unknown): error is SystemError {
  return error instanceof Error && typeof (error as SystemError).code === 'string' && typeof (error as SystemError).syscall === 'string';
}

/**
 * Why a system call failed, in words and code: `not a directory (ENOTDIR)`. Node's message reads
 * `ENOTDIR: not a directory, mkdir '/etc/passwd/x'`; anything else is returned as its message.
 */
export function systemErrorReason(error: unknown): string {
  if (!isSystemError(error)) return error instanceof Error ? error.message : String(error);
  const words = /^[A-Z0-9_]+: ([^,]+),/.exec(error.message)?.[1];
  return words ? `${words} (${error.code})` : error.code;
}

/**
 * One line for a file that could not be read or written (`cannot open '/full/disk/summary.csv': no space
 * left on device (ENOSPC)`): the machine's refusal, not a bug, so it needs no stack trace. Undefined for
 * anything that is not a system error on a path.
 */
export function fileErrorLine(error: unknown): string | undefined {
  if (!isSystemError(error) || typeof error.path !== 'string') return undefined;
  return `cannot ${error.syscall} '${error.path}': ${systemErrorReason(error)}`;
}
