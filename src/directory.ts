/**
 * The folder a command writes into (`--out`), made with an error that names the flag and the path.
 *
 * Not `mkdirSync(path, { recursive: true })`: its errors are stack traces, and in Node 20 it never returns
 * when a parent refuses new entries with ENOENT (`--out /proc/x` spun at full CPU until killed). Here each
 * missing folder, from the deepest existing one down, is made on its own.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { systemErrorReason, UserError } from './errors.ts';

/** The deepest existing folder or file on the way to `path`, and the folders below it still to make. */
function deepestExisting(path: string): { existing: string; missing: string[] } {
  const missing: string[] = [];
  let at = path;
  for (;;) {
    try {
      statSync(at);
      return { existing: at, missing: missing.reverse() };
    } catch {
      const parent = dirname(at);
      if (parent === at) return { existing: at, missing: missing.reverse() };
      missing.push(at);
      at = parent;
    }
  }
}

/**
 * Makes the folder `path` and its missing parents; `flag` names where the path came from (`--out`).
 * Throws a {@link UserError} naming the flag and the folder or file in the way when a part of it is a
 * file or cannot be made. Returns the absolute path.
 */
export function makeDirectory(path: string, flag: string): string {
  const target = resolve(path);
  const { existing, missing } = deepestExisting(target);
  if (!statSync(existing, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError(`${flag}: '${existing}' is a file, not a folder`);
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      // Made meanwhile by another process (two shards starting at once): fine if it is a folder.
      if (statSync(folder, { throwIfNoEntry: false })?.isDirectory()) continue;
      throw new UserError(`${flag}: cannot make the folder '${folder}': ${systemErrorReason(error)}`);
    }
  }
  return target;
}
