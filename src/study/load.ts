/** Finding and loading study files: `studies/<name>.ts`, whose default export is a study. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
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
  /** sha256 of the study's source: its file, and the modules of its own it imports ({@link studySources}). */
  readonly sourceHash: string;
}

/** mixsim's own sources (src/), which a study imports but which are not the study's. */
const librarySources = fileURLToPath(new URL('..', import.meta.url));

/** `from '...'`, `import '...'`, `import('...')` and `require('...')` of a relative path. */
const RELATIVE_IMPORT = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*['"](\.{1,2}\/[^'"\n]+)['"]/g;

/** The file a relative import names, as TypeScript resolves it (with or without its extension), if it exists. */
function resolveImport(from: string, specifier: string): string | undefined {
  const path = resolve(dirname(from), specifier);
  return [path, `${path}.ts`, `${path}.js`, join(path, 'index.ts'), join(path, 'index.js')].find((f) => statSync(f, { throwIfNoEntry: false })?.isFile());
}

/**
 * A study's source: its file, then each module of its own that it imports, directly or through another
 * (relative imports, found in the text, outside mixsim's src/ and node_modules), in the order first met.
 * A helper module is as much the study as its file: a change to either can change the replicates.
 */
export function studySources(file: string): string[] {
  const found = [file];
  for (let i = 0; i < found.length; i++) {
    for (const [, specifier] of readFileSync(found[i], 'utf8').matchAll(RELATIVE_IMPORT)) {
      const module = resolveImport(found[i], specifier);
      if (module && !module.startsWith(librarySources) && !module.split(sep).includes('node_modules') && !found.includes(module)) found.push(module);
    }
  }
  return found;
}

/**
 * sha256 of a study's source: of the study file's text alone where it imports no module of its own (as
 * journals have recorded it from the start), else of each source's path (relative to the study's folder)
 * and text.
 */
export function sourceHash(file: string): string {
  const sources = studySources(file);
  const hash = createHash('sha256');
  if (sources.length === 1) return hash.update(readFileSync(file)).digest('hex');
  for (const source of sources) hash.update(`${relative(dirname(file), source)}\0`).update(readFileSync(source)).update('\0');
  return hash.digest('hex');
}

/** Finds and imports a study by name or path. */
export async function loadStudy(nameOrPath: string, dir = resolve('studies')): Promise<LoadedStudy> {
  const file = studyFile(nameOrPath, dir);
  const url = pathToFileURL(file).href;
  const study = await importStudy(url);
  return { name: study.name ?? basename(file, '.ts'), file, url, study, sourceHash: sourceHash(file) };
}
