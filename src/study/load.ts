/** Finding and loading study files: `studies/<name>.ts`, whose default export is a study. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { basename, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UserError } from '../errors.ts';
import { isStudy, type Study } from './define.ts';

/** The studies in a folder (names of its `.ts` files). */
export function listStudies(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => f.slice(0, -3)).sort();
}

/** The file of a study given by name (in `dir`) or by path. */
export function studyFile(nameOrPath: string, dir: string): string {
  const candidates = nameOrPath.endsWith('.ts') ? [resolve(nameOrPath)] : [resolve(dir, `${nameOrPath}.ts`)];
  const file = candidates.find((f) => existsSync(f));
  if (!file) {
    const known = listStudies(dir);
    throw new UserError(`unknown study '${nameOrPath}' (studies in ${dir}: ${known.length ? known.join(', ') : 'none'})`);
  }
  return file;
}

/**
 * `import()` of a study module; where TypeScript loads through a CommonJS hook (the commands'
 * src/compile/register.cjs, a notebook kernel's tsx), `require`, which shares the process's module registry.
 */
async function importTypescript(url: string): Promise<unknown> {
  const require = createRequire(import.meta.url);
  if (require.extensions['.ts']) return require(fileURLToPath(url));
  try {
    return await import(url);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
    return require(fileURLToPath(url));
  }
}

/**
 * Imports a study module and checks that its default export is a study. `load` imports the module: by
 * default `import()`; a worker thread, which loads TypeScript through a CommonJS hook, passes `require`.
 */
export async function importStudy(url: string, load: (url: string) => unknown = importTypescript): Promise<Study> {
  const file = fileURLToPath(url);
  let module: { default?: unknown };
  try {
    module = (await load(url)) as { default?: unknown };
  } catch (error) {
    throw loadError(file, error);
  }
  const study = module.default;
  if (!isStudy(study)) {
    throw new UserError(`${file} does not export a study: end it with \`export default defineStudy({ ... })\``);
  }
  return study;
}

/**
 * A study file that throws while it loads (a package it imports is missing, its own code throws, a call to
 * defineStudy is refused): one line naming the file, the error's first line and, when the study file's
 * own code threw, where in it.
 */
function loadError(file: string, error: unknown): UserError {
  if (error instanceof UserError || (error instanceof Error && error.name === 'UserError')) return error as UserError;
  const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message.split('\n')[0]}` : String(error);
  const at = error instanceof Error ? error.stack?.split('\n').find((line) => line.includes(file)) : undefined;
  const where = at && /:(\d+):(\d+)\)?$/.exec(at);
  return new UserError(`${file}${where ? `:${where[1]}:${where[2]}` : ''}: the study file failed to load: ${message}`);
}

/** A loaded study with its name, file and the hash of its source. */
export interface LoadedStudy {
  readonly name: string;
  readonly file: string;
  readonly url: string;
  readonly study: Study;
  /** sha256 of the study file's text. */
  readonly sourceHash: string;
}

/** Finds and imports a study by name or path. */
export async function loadStudy(nameOrPath: string, dir = resolve('studies')): Promise<LoadedStudy> {
  const file = studyFile(nameOrPath, dir);
  const url = pathToFileURL(file).href;
  const study = await importStudy(url);
  const sourceHash = createHash('sha256').update(readFileSync(file)).digest('hex');
  return { name: study.name ?? basename(file, '.ts'), file, url, study, sourceHash };
}
