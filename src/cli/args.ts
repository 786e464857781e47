/**
 * Command-line flags: `--name value`, `--name=value` and boolean `--name`, checked against a declared set
 * so that an unknown or malformed flag is a one-line error naming it.
 */
import { UserError } from '../errors.ts';

/** How a flag takes its value. */
export type FlagKind = 'string' | 'boolean' | 'repeatable';

/** Parsed flags: strings, booleans, and arrays for repeatable flags; positionals apart. */
export interface ParsedArgs {
  readonly flags: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** Parses `argv` (without node and the script) against the declared flags. */
export function parseArgs(argv: readonly string[], declared: Readonly<Record<string, FlagKind>>, command: string): ParsedArgs {
  const flags: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) { positionals.push(arg); continue; }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = declared[name];
    if (!kind) {
      const known = Object.keys(declared).map((f) => `--${f}`).join(', ');
      throw new UserError(`${command}: unknown flag --${name} (flags: ${known})`);
    }
    if (kind === 'boolean') {
      if (eq >= 0) throw new UserError(`${command}: flag --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') throw new UserError(`${command}: flag --${name} needs a value`);
    if (kind === 'repeatable') flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
    else {
      if (flags[name] !== undefined) throw new UserError(`${command}: flag --${name} given twice`);
      flags[name] = value;
    }
  }
  return { flags, positionals };
}

/** A flag's value as a positive integer, or a {@link UserError} naming the flag and value. */
export function positiveInteger(value: string | undefined, flag: string, command: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new UserError(`${command}: --${flag} must be a positive integer, not '${value}'`);
  }
  return n;
}

/** A flag's value as a non-negative integer, or a {@link UserError} naming the flag and value. */
export function nonNegativeInteger(value: string | undefined, flag: string, command: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new UserError(`${command}: --${flag} must be a non-negative integer, not '${value}'`);
  return Number(value);
}
