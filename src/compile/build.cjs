'use strict';
/**
 * Builds one cached bundle (see register.cjs), as a child process:
 *   node src/compile/build.cjs library BUNDLE   every module of src/, one copy of each, evaluated on demand
 *   node src/compile/build.cjs file ENTRY BUNDLE  a TypeScript file outside src/ (a study), whose imports of
 *                                                 src/ modules stay `require`s that the library answers
 *   node src/compile/build.cjs packages BUNDLE    the npm packages of PACKAGES (Vega and Vega-Lite), each with
 *                                                 everything it imports, in one file
 * It writes BUNDLE (CommonJS), BUNDLE.map (not for the packages) and BUNDLE.json (the inputs' modification
 * times and sizes, for the library its module list, and how to load the bundle), each by an atomic rename,
 * so that processes and threads that read a bundle while another builds it never read half a file.
 *
 * A bundle holds TypeScript modules and the small pure-JavaScript packages in INLINE (@stdlib's packages
 * are some 400 files of a few lines each; one file loads in a fraction of the time). Other packages stay
 * `require`s: danfojs-node and piscina load as they are, where they are used, and Vega from the packages'
 * bundle. `import.meta.url` is
 * each module's own URL, as it is when the module runs alone.
 *
 * On an error in the code it prints `file:line:column: message` and exits 2.
 */
const { build } = require('esbuild');
const { readdirSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { readFile } = require('node:fs/promises');
const { join, resolve, sep } = require('node:path');
const { pathToFileURL } = require('node:url');

const srcDir = resolve(__dirname, '..');
/** The name of a generated entry (the library's, the packages'): it has no file. */
const GENERATED_ENTRY = 'mixsim-library.js';

/** Packages bundled in; all others are loaded by Node. */
const INLINE = /^(@stdlib\/|ml-matrix$|ml-array-|is-any-array$)/;

const { PACKAGES } = require('./packages.cjs');

/** The TypeScript modules of src/, as absolute paths in a fixed order. */
function libraryModules(dir = srcDir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return libraryModules(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
    });
}

/** Gives each TypeScript module its own `import.meta.url` (a CommonJS bundle has none). */
const importMetaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?ts$/ }, async ({ path }) => ({
      contents: (await readFile(path, 'utf8')).replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(path).href)),
      loader: 'ts',
    }));
  },
};

/**
 * Leaves packages outside INLINE to Node's own `require`, and makes `import()` of a package of PACKAGES a
 * `require` (in a promise, as `import()` is), which register.cjs answers from the packages' bundle.
 */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, ({ path, kind }) => {
      if (kind === 'dynamic-import' && PACKAGES.includes(path)) return { path, namespace: 'required-package' };
      return INLINE.test(path) ? undefined : { path, external: true };
    });
    b.onLoad({ filter: /.*/, namespace: 'required-package' }, ({ path }) => ({ contents: `module.exports = require(${JSON.stringify(path)});`, loader: 'js', resolveDir: srcDir }));
  },
};

/** Leaves src/ modules to the library bundle: a file's imports of them become `require(absolute path)`. */
const externalLibrary = {
  name: 'external-library',
  setup(b) {
    b.onResolve({ filter: /^[./]/ }, ({ path, resolveDir }) => {
      const target = resolve(resolveDir, path);
      return target.startsWith(srcDir + sep) ? { path: target, external: true } : undefined;
    });
  },
};

/**
 * vega-canvas's Node build awaits `import('canvas')` (node-canvas) at its top level, which a CommonJS bundle
 * cannot hold; its browser build is the same code without node-canvas, which is not installed, so both find
 * no canvas and Vega measures text by its own estimate.
 */
const browserVegaCanvas = {
  name: 'browser-vega-canvas',
  setup(b) {
    b.onResolve({ filter: /^vega-canvas$/ }, ({ resolveDir }) => ({
      path: require.resolve('vega-canvas', { paths: [resolveDir] }).replace(/vega-canvas\.node\.js$/, 'vega-canvas.browser.js'),
    }));
  },
};

/** Writes a file by renaming a temporary one into place. */
function writeAtomic(path, contents) {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/**
 * esbuild's options for the library (a map from module path to a function that evaluates it), a file, or the
 * packages (a map from package name to its exports).
 */
function options(kind, entry) {
  /** A generated entry whose exports map each name to `value(name)` (the source of an expression). */
  const generated = (names, value) => ({
    contents: `module.exports = {\n${names.map((name) => `  ${JSON.stringify(name)}: ${value(JSON.stringify(name))},`).join('\n')}\n};\n`,
    resolveDir: srcDir, sourcefile: GENERATED_ENTRY, loader: 'js',
  });
  if (kind === 'packages') return { stdin: generated(PACKAGES, (name) => `require(${name})`), plugins: [browserVegaCanvas] };
  if (kind === 'library') {
    const modules = libraryModules();
    // `import()` becomes a `require` in a promise: the library's one `import()` (of a study, load.ts) runs only
    // where no CommonJS hook loads TypeScript, never from this bundle, and a bundle without `import()` can
    // start from V8's code cache (register.cjs).
    return {
      modules, stdin: generated(modules, (name) => `() => require(${name})`), plugins: [importMetaUrl, externalPackages],
      supported: { 'dynamic-import': false },
    };
  }
  return { entryPoints: [entry], plugins: [importMetaUrl, externalLibrary, externalPackages] };
}

async function main() {
  const [kind, ...rest] = process.argv.slice(2);
  const bundle = rest[rest.length - 1];
  const { modules, ...input } = options(kind, rest[0]);
  const result = await build({
    ...input, outfile: bundle, bundle: true, write: false, metafile: true,
    format: 'cjs', platform: 'node', target: 'node20', logLevel: 'silent',
    // Source maps for our own code; not for the packages', whose 2 MB map would cost each thread 20 ms to read.
    sourcemap: kind === 'packages' ? false : 'external', sourcesContent: false,
  }).catch((failure) => failure);
  if (!result.outputFiles) {
    const [first] = result.errors ?? [{ text: String(result) }];
    const where = first.location ? `${resolve(first.location.file)}:${first.location.line}:${first.location.column + 1}: ` : '';
    process.stderr.write(`${where}${first.text}\n`);
    process.exit(2);
  }
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    if (input.endsWith(GENERATED_ENTRY) || input.startsWith('required-package:')) continue;
    const path = resolve(input);
    const { mtimeMs, size } = statSync(path);
    inputs[path] = [mtimeMs, size];
  }
  const map = result.outputFiles.find((file) => file.path.endsWith('.map'));
  const code = result.outputFiles.find((file) => file !== map);
  if (map) writeAtomic(map.path, map.contents);
  // An absolute path: Node 20 finds no source map at a file: URL.
  writeAtomic(bundle, map ? `${code.text}//# sourceMappingURL=${map.path}\n` : code.text);
  // What register.cjs needs to know to load the bundle: its source map, and whether it calls `import()`.
  const loading = { sourceMap: map ? map.path : null, dynamicImport: /\bimport\(/.test(code.text) };
  const entry = kind === 'file' ? resolve(rest[0]) : null;
  writeAtomic(`${bundle}.json`, JSON.stringify({ kind, entry, modules: modules ?? null, ...loading, inputs }));
}

main();
