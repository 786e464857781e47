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
 * and rebuilt in a child process (about a second for the library) otherwise; a build removes the bundles of
 * other toolchains and of files that are gone. The library and the packages start from V8's code cache.
 * Stack traces show the TypeScript files' own lines (source maps are on).
 *
 * Loaded with `--require` (threads) or `require` (the commands' launcher).
 */
const { createHash } = require('node:crypto');
const { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { basename, dirname, join, resolve, sep } = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');

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

/** The cached bundle of a build (`library`, `packages`, or `file` with its entry), named by its toolchain. */
function bundlePath(kind, entry = '') {
  const key = createHash('sha256').update(`${toolchain}\0${kind}\0${entry}`).digest('hex').slice(0, 24);
  return join(cacheDir, `${kind}-${toolchain}-${key}.cjs`);
}

/**
 * Removes the cached bundles (and their maps, records and code caches) that nothing will load again: those
 * of other toolchains (an edit of the builder, or a new esbuild), and those of files that are gone (a
 * study deleted, or a test's temporary one).
 */
function pruneUnused() {
  const names = readdirSync(cacheDir);
  const gone = new Set();
  for (const name of names) {
    if (!/^file-.*[.]cjs[.]json$/.test(name)) continue;
    const meta = readMeta(join(cacheDir, name.slice(0, -'.json'.length)));
    if (meta?.entry && !statSync(meta.entry, { throwIfNoEntry: false })) gone.add(name.slice(0, -'.cjs.json'.length));
  }
  for (const name of names) {
    const made = /^((?:library|packages|file)-([0-9a-f]{16})-[0-9a-f]{24})[.]/.exec(name);
    const unused = made ? made[2] !== toolchain || gone.has(made[1]) : /^(?:library|packages|file)-[0-9a-f]{24}[.]/.test(name);
    if (unused) {
      try {
        unlinkSync(join(cacheDir, name));
      } catch {
        // Another process removed it first.
      }
    }
  }
}

/** A bundle's record (build.cjs), or undefined when there is none. */
function readMeta(bundle) {
  try {
    return JSON.parse(readFileSync(`${bundle}.json`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A bundle's record, when every input it was built from is unchanged. */
function freshMeta(bundle) {
  const meta = readMeta(bundle);
  if (!meta) return undefined;
  for (const [path, [mtimeMs, size]] of Object.entries(meta.inputs)) {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs !== mtimeMs || stat.size !== size) return undefined;
  }
  return meta;
}

/** Builds a bundle; an error in the code (a study's syntax, say) becomes one line, as a UserError is. */
function buildBundle(args) {
  try {
    // Required here, not at the top: node:child_process takes 5 ms or more to load, and every thread loads this hook.
    require('node:child_process').execFileSync(process.execPath, [builder, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const stderr = String(e.stderr ?? '').trim();
    if (e.status !== 2) throw new Error(`building ${args.join(' ')} failed: ${stderr}`);
    const error = new Error(stderr);
    error.name = 'UserError';
    throw error;
  }
  pruneUnused();
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Whether a lock file's build will never finish: its process is gone, or it is older than any build takes
 * (a build takes a second or two; a process id may have been reused by another program since).
 */
function abandoned(lock) {
  let pid;
  try {
    if (Date.now() - statSync(lock).mtimeMs > 120_000) return true;
    pid = Number(readFileSync(lock, 'utf8'));
  } catch {
    return false; // being written, or removed: look again
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return e.code === 'ESRCH';
  }
}

/**
 * The record of a usable bundle (fresh, and `usable(meta)`), built first when there is none. One thread or
 * process builds it (holding BUNDLE.lock, which names its process); the others wait for that build and use
 * it: a study's first run after `npm ci` would otherwise build Vega's bundle once per charts thread, and the
 * study's bundle once per thread, all at once on the same cores.
 */
function usableBundle(args, bundle, usable = () => true) {
  mkdirSync(cacheDir, { recursive: true });
  const lock = `${bundle}.lock`;
  for (;;) {
    const meta = freshMeta(bundle);
    if (meta && usable(meta)) return meta;
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      if (abandoned(lock)) rmSync(lock, { force: true });
      else Atomics.wait(pause, 0, 0, 20);
      continue;
    }
    try {
      const built = freshMeta(bundle); // built by another while this one took the lock
      if (built && usable(built)) return built;
      buildBundle(args);
      return readMeta(bundle);
    } finally {
      rmSync(lock, { force: true });
    }
  }
}

/**
 * Saves a bundle's code cache (by an atomic rename) and removes the caches of its earlier builds (names that
 * start as the bundle's but not as this `build`'s).
 */
function saveCodeCache(bundle, build, cache, data) {
  const temporary = `${cache}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, cache);
    const prefix = `${basename(bundle)}.`;
    for (const name of readdirSync(dirname(bundle))) {
      if (name.startsWith(prefix) && name.endsWith('.v8') && !name.startsWith(build)) unlinkSync(join(dirname(bundle), name));
    }
  } catch {
    // A cache is an optimisation: a thread that cannot write or prune one goes on without.
  }
}

/** The bundles this thread loaded from an early code cache (or none), with their scripts. */
const earlyCaches = [];

/**
 * Replaces the early code caches of the bundles this thread loaded by caches of all the code it has
 * compiled since (BUNDLE.<...>.v8, unless a thread that compiled more saved one first): a thread that starts
 * from one compiles neither the modules it evaluates nor the functions it calls. Vega's first chart takes
 * about 70 ms instead of 100; the library's modules evaluate in about 20 ms instead of 45. Called when a
 * thread has done its work: at the exit of a command's main thread, and from a pool's threads
 * (src/threads/codeCaches.ts) before the pool closes.
 */
function saveWorkedCodeCaches() {
  for (const { bundle, build, early, worked, script } of earlyCaches.splice(0)) {
    const data = script.createCachedData();
    // Threads of one run save theirs one after the other: the cache of the one that compiled most stays.
    if (data.length > (statSync(worked, { throwIfNoEntry: false })?.size ?? 0)) saveCodeCache(bundle, build, worked, data);
    rmSync(early, { force: true });
  }
}

/**
 * Evaluates a bundle as `module`'s code, with V8's code cache. The first thread to load a bundle saves the
 * code V8 compiled for it at load beside it (BUNDLE.<inode>-<mtime>.<V8's tag>.early.v8, so that a rebuilt
 * bundle never meets the cache of an earlier one, nor V8 one it would refuse), and a thread that has done
 * its work saves what it compiled since (saveWorkedCodeCaches); every later thread starts from the fullest
 * cache instead of parsing the bundle: the library (1 MB) compiles in about 10 ms instead of 35, Vega's
 * bundle (2.5 MB) in about 40 ms instead of 100.
 * The bundle is compiled as `module._compile` would, but for its source map, which Node registers under a
 * module's file name when it compiles it: a first module of only the map's comment does that, and hands
 * over Node's own `require` for the module.
 */
function runBundle(module, bundle, meta) {
  const fd = openSync(bundle, 'r');
  let source;
  let stat;
  try {
    stat = fstatSync(fd);
    source = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  module.filename = bundle;
  module.paths = Module._nodeModulePaths(dirname(bundle));
  // Node 20 loses a script's `import()` callback when the script comes from a code cache: a bundle with
  // `import()` compiles as any module does, without one.
  if (meta.dynamicImport) {
    module._compile(source, bundle);
    module.loaded = true;
    return module.exports;
  }
  // V8 accepts a cache only from its own version, flags and CPU features: the tag names them.
  const build = `${basename(bundle)}.${stat.ino}-${Math.round(stat.mtimeMs)}.`;
  const stem = join(dirname(bundle), `${build}${v8.cachedDataVersionTag()}`);
  const worked = `${stem}.v8`;
  const early = `${stem}.early.v8`;
  let cachedData;
  let cache;
  for (cache of [worked, early]) {
    try {
      cachedData = readFileSync(cache);
      break;
    } catch {
      cachedData = undefined;
    }
  }
  module._compile(`module.exports = require;\n${meta.sourceMap ? `//# sourceMappingURL=${meta.sourceMap}\n` : ''}`, bundle);
  const requireHere = module.exports;
  module.exports = {};
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  script.runInThisContext().call(module.exports, module.exports, requireHere, module, bundle, dirname(bundle));
  module.loaded = true;
  if (!cachedData || script.cachedDataRejected) {
    saveCodeCache(bundle, build, early, script.createCachedData());
    cache = early;
  }
  if (cache === early) earlyCaches.push({ bundle, build, early, worked, script });
  return module.exports;
}

let library;

/** The library's map from module path to the function that evaluates it, loaded once per thread. */
function libraryModules(needed) {
  if (library && needed in library) return library;
  const bundle = bundlePath('library');
  const meta = usableBundle(['library', bundle], bundle, (built) => built.modules.includes(needed));
  library = runBundle(new Module(bundle), bundle, meta);
  return library;
}

let packages;

/** A package of PACKAGES, from their bundle (built when missing or stale), loaded once per thread. */
function bundledPackage(name) {
  if (!packages) {
    const bundle = bundlePath('packages');
    const meta = usableBundle(['packages', bundle], bundle);
    const module = new Module(bundle);
    packages = runBundle(module, bundle, meta);
    require.cache[bundle] = module;
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
  usableBundle(['file', filename, bundle], bundle);
  module._compile(readFileSync(bundle, 'utf8'), filename);
}

/** Where a bundle is cached (for tests and tools: the hook itself needs no export). */
module.exports = { bundlePath };

if (!Module._extensions['.ts']) {
  process.setSourceMapsEnabled(true);
  Module._extensions['.ts'] = loadTypescript;
  globalThis[Symbol.for('mixsim.saveWorkedCodeCaches')] = saveWorkedCodeCaches;
  if (require('node:worker_threads').isMainThread) process.once('exit', saveWorkedCodeCaches);
  // The library's `import()` of a package of PACKAGES is a `require` from the library's bundle (build.cjs).
  const load = Module._load;
  Module._load = function loadPackage(request, parent, isMain) {
    if (PACKAGES.includes(request) && parent?.filename?.startsWith(cacheDir + sep)) return bundledPackage(request);
    return load.call(this, request, parent, isMain);
  };
}
