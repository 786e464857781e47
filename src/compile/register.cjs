'use strict';
/**
 * TypeScript for Node's `require`, from cached bundles that esbuild makes (build.cjs):
 * - the library: every module of src/ in one file, each evaluated on its first `require`, so that a thread
 *   holds one copy of mixsim however its modules are reached (a command, the worker entry, a study's
 *   `import ... from '../src/index.ts'`);
 * - a file outside src/ (a study), bundled with the TypeScript it imports from outside src/;
 * - the npm packages of packages.cjs (Vega and Vega-Lite), whose `import()` by the library this hook answers.
 * Loading a thread's ~500 modules one by one (through tsx) took half a second; one file takes a tenth of that.
 * And one copy matters for speed: V8 optimises the random generator's functions and the data generator that
 * calls them together only when both come from the same copy.
 *
 * Bundles are cached in node_modules/.cache/mixsim/ with the modification time and size of every input: a
 * bundle is used while all of them are unchanged (and, for the library, while src/ has the same modules),
 * and rebuilt in a child process (about a second for the library) otherwise. Stack traces show the TypeScript files' own lines
 * (source maps are on).
 *
 * Loaded with `--require` (threads) or `require` (the commands' launcher).
 */
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, statSync } = require('node:fs');
const Module = require('node:module');
const { join, resolve, sep } = require('node:path');

const srcDir = resolve(__dirname, '..');
const root = resolve(srcDir, '..');
const cacheDir = join(root, 'node_modules', '.cache', 'mixsim');
const builder = join(__dirname, 'build.cjs');
const { PACKAGES } = require('./packages.cjs');

/** What every bundle depends on besides its inputs: the builder, its list of packages and esbuild's version. */
const toolchain = createHash('sha256')
  .update(readFileSync(builder))
  .update(readFileSync(join(__dirname, 'packages.cjs')))
  .update(readFileSync(join(root, 'node_modules', 'esbuild', 'package.json')))
  .digest('hex')
  .slice(0, 16);

/** The cached bundle of a build (`library`, or `file` with its entry). */
function bundlePath(kind, entry = '') {
  const key = createHash('sha256').update(`${toolchain}\0${kind}\0${entry}`).digest('hex').slice(0, 24);
  return join(cacheDir, `${kind}-${key}.cjs`);
}

/** A bundle's record (build.cjs), when every input it was built from is unchanged. */
function freshMeta(bundle) {
  let meta;
  try {
    meta = JSON.parse(readFileSync(`${bundle}.json`, 'utf8'));
  } catch {
    return undefined;
  }
  for (const [path, [mtimeMs, size]] of Object.entries(meta.inputs)) {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs !== mtimeMs || stat.size !== size) return undefined;
  }
  return meta;
}

/** Builds a bundle; an error in the code (a study's syntax, say) becomes one line, as a UserError is. */
function buildBundle(args) {
  mkdirSync(cacheDir, { recursive: true });
  try {
    execFileSync(process.execPath, [builder, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const stderr = String(e.stderr ?? '').trim();
    if (e.status !== 2) throw new Error(`building ${args.join(' ')} failed: ${stderr}`);
    const error = new Error(stderr);
    error.name = 'UserError';
    throw error;
  }
}

let library;

/** The library's map from module path to the function that evaluates it, loaded once per thread. */
function libraryModules(needed) {
  if (library && needed in library) return library;
  const bundle = bundlePath('library');
  const meta = freshMeta(bundle);
  if (!meta || !meta.modules.includes(needed) || library) buildBundle(['library', bundle]);
  const module = new Module(bundle);
  module.filename = bundle;
  module.paths = Module._nodeModulePaths(srcDir);
  module._compile(readFileSync(bundle, 'utf8'), bundle);
  library = module.exports;
  return library;
}

let packages;

/** A package of PACKAGES, from their bundle (built when missing or stale), loaded once per thread. */
function bundledPackage(name) {
  if (!packages) {
    const bundle = bundlePath('packages');
    if (!freshMeta(bundle)) buildBundle(['packages', bundle]);
    const module = new Module(bundle);
    module.filename = bundle;
    module.paths = Module._nodeModulePaths(root);
    module._compile(readFileSync(bundle, 'utf8'), bundle);
    module.loaded = true;
    require.cache[bundle] = module;
    packages = module.exports;
  }
  return packages[name];
}

/** Loads a .ts file: a src/ module from the library, any other file from its own bundle. */
function loadTypescript(module, filename) {
  if (filename.startsWith(srcDir + sep)) {
    const modules = libraryModules(filename);
    if (!(filename in modules)) throw new Error(`${filename}: not a module of the library`);
    module.exports = modules[filename]();
    return;
  }
  const bundle = bundlePath('file', filename);
  if (!freshMeta(bundle)) buildBundle(['file', filename, bundle]);
  module._compile(readFileSync(bundle, 'utf8'), filename);
}

if (!Module._extensions['.ts']) {
  process.setSourceMapsEnabled(true);
  Module._extensions['.ts'] = loadTypescript;
  // The library's `import()` of a package of PACKAGES is a `require` from the library's bundle (build.cjs).
  const load = Module._load;
  Module._load = function loadPackage(request, parent, isMain) {
    if (PACKAGES.includes(request) && parent?.filename?.startsWith(cacheDir + sep)) return bundledPackage(request);
    return load.call(this, request, parent, isMain);
  };
}
