/**
 * The commands' TypeScript hook (src/compile/register.cjs): a study is rebuilt when its file changes, its
 * imports of src/ share the one copy of the library, Vega comes from its bundle, stack traces show the
 * TypeScript lines, bundles of earlier toolchains are removed, one process builds a bundle while others
 * wait for it, and a study that does not compile gets one line that names the file, line and column.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli } from '../cli/run.ts';
import { tempDir } from '../tempDir.ts';

const dir = tempDir('mixsim-compile-');
const index = JSON.stringify(join(root, 'src', 'index.ts'));

/** A one-condition study whose true intercept is `truth`. */
const studySource = (truth: number): string => `
import { defineStudy, simulateMixedData } from ${index};
export { simulateMixedData } from ${index};
export default defineStudy({
  name: 'edited', design: { n: [40] }, replications: 3, seed: 1,
  generate: (c, rng) => simulateMixedData({ rows: c.n, groups: 4, intercept: 1, slope: 0, interceptSd: 1, residualSd: 1 }, rng),
  estimators: { mean: (data) => ({ mean: (data.response as Float64Array).reduce((s, v) => s + v, 0) / c(data) }) },
  truth: () => ({ mean: ${truth} }),
});
function c(data: Record<string, ArrayLike<number>>): number { return data.response.length; }
`;

const trueValue = (out: string): number => {
  const [header, first] = readFileSync(join(out, 'summary.csv'), 'utf8').split('\n').map((line) => line.split(','));
  return Number(first[header.indexOf('true_value')]);
};

describe('the TypeScript hook', () => {
  it('rebuilds a study when its file changes', () => {
    const file = join(dir, 'edited.ts');
    writeFileSync(file, studySource(1));
    const first = runCli('study', [file, '--out', join(dir, 'first'), '--workers', '1', '--quiet']);
    expect(first.stderr).toBe('');
    expect(trueValue(join(dir, 'first'))).toBe(1);
    writeFileSync(file, studySource(2.5));
    const second = runCli('study', [file, '--out', join(dir, 'second'), '--workers', '1', '--quiet']);
    expect(second.code).toBe(0);
    expect(trueValue(join(dir, 'second'))).toBe(2.5);
  });

  it("removes other toolchains' bundles, and those of files that are gone, when it builds one", () => {
    const cacheDir = join(root, 'node_modules', '.cache', 'mixsim');
    const hook = join(root, 'src', 'compile', 'register.cjs');
    const deleted = join(dir, `deleted-${process.pid}.ts`);
    writeFileSync(deleted, studySource(6));
    expect(spawnSync(process.execPath, ['--require', hook, '-e', `require(${JSON.stringify(deleted)})`]).status).toBe(0);
    const deletedBundle = spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(hook)}).bundlePath('file', ${JSON.stringify(deleted)}))`], { encoding: 'utf8' }).stdout;
    expect(existsSync(deletedBundle)).toBe(true);
    rmSync(deleted);
    const stale = join(cacheDir, `library-${'0'.repeat(16)}-${'1'.repeat(24)}.cjs`);
    writeFileSync(stale, '');
    const file = join(dir, `pruning-${process.pid}.ts`);
    writeFileSync(file, studySource(3)); // a new file: its bundle is built
    const r = runCli('study', [file, '--out', join(dir, 'pruning'), '--workers', '1', '--quiet']);
    expect(r.code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(deletedBundle)).toBe(false);
    expect(existsSync(`${deletedBundle}.json`)).toBe(false);
    expect(readdirSync(cacheDir).some((name) => name.startsWith('library-'))).toBe(true);
  });

  it('waits for another process that builds the same bundle, and takes over a lock whose process is gone', async () => {
    const hook = join(root, 'src', 'compile', 'register.cjs');
    const bundleOf = (file: string): string => spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(hook)}).bundlePath('file', ${JSON.stringify(file)}))`], { encoding: 'utf8' }).stdout;
    const load = (file: string): string[] => ['--require', hook, '-e', `require(${JSON.stringify(file)}); process.stdout.write('loaded')`];

    const waiting = join(dir, `waiting-${process.pid}.ts`);
    writeFileSync(waiting, studySource(4));
    const lock = `${bundleOf(waiting)}.lock`;
    writeFileSync(lock, String(process.pid)); // a live process holds it
    const child = spawn(process.execPath, load(waiting), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    const exited = new Promise<number | null>((done) => child.on('exit', done));
    await new Promise((done) => setTimeout(done, 1500));
    expect(child.exitCode).toBe(null); // still waiting for the lock
    rmSync(lock);
    expect(await exited).toBe(0);
    expect(stdout).toBe('loaded');

    const abandoned = join(dir, `abandoned-${process.pid}.ts`);
    writeFileSync(abandoned, studySource(5));
    const gone = spawnSync(process.execPath, ['-e', '']).pid; // a process that has exited
    writeFileSync(`${bundleOf(abandoned)}.lock`, String(gone));
    const r = spawnSync(process.execPath, load(abandoned), { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('loaded');
  });

  it("gives a study's imports of src/ the library's own modules", () => {
    const file = join(dir, 'edited.ts');
    writeFileSync(file, studySource(1));
    const script = `const a = require(${JSON.stringify(file)}).simulateMixedData;
      const b = require(${JSON.stringify(join(root, 'src', 'data', 'generate.ts'))}).simulateMixedData;
      process.stdout.write(String(typeof a === 'function' && a === b));`;
    const r = spawnSync(process.execPath, ['--require', join(root, 'src', 'compile', 'register.cjs'), '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true');
  });

  it("answers the library's import() of Vega and Vega-Lite from their bundle", () => {
    const script = `require(${JSON.stringify(join(root, 'src', 'report', 'html.ts'))})
      .renderSvg({ data: { values: [{ a: 1 }, { a: 2 }] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } })
      .then((svg) => process.stdout.write(JSON.stringify({ svg: svg.slice(0, 4), bundles: Object.keys(require.cache).filter((p) => /packages-[0-9a-f-]+[.]cjs$/.test(p)).length })));`;
    const r = spawnSync(process.execPath, ['--require', join(root, 'src', 'compile', 'register.cjs'), '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ svg: '<svg', bundles: 1 });
  });

  it("shows the TypeScript files' own lines in stack traces, with the bundles' code cache in use", () => {
    const script = `try { require(${JSON.stringify(join(root, 'src', 'data', 'generate.ts'))}).simulateMixedData({ rows: 5, groups: 2, intercept: 0, slope: 0, interceptSd: 1, residualSd: 1 }, null); }
      catch (e) { process.stdout.write(e.stack.split('\\n')[1]); }`;
    const run = () => spawnSync(process.execPath, ['--require', join(root, 'src', 'compile', 'register.cjs'), '-e', script], { encoding: 'utf8' });
    run(); // the first load may build the library and save its code cache
    const cache = readdirSync(join(root, 'node_modules', '.cache', 'mixsim')).filter((name) => /^library-.*[.]v8$/.test(name));
    expect(cache.length).toBeGreaterThan(0);
    const r = run();
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`at (Object\\.)?\\w+ \\(${join(root, 'src', 'data', 'generate.ts').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+\\)`));
  });

  // One worker: Vega's from the run's charts threads; two: from the workers, which draw the charts themselves.
  it.each(['1', '2'])("keeps the code caches of threads that have worked: Vega's and the library's (%s workers)", (workers) => {
    const cacheDir = join(root, 'node_modules', '.cache', 'mixsim');
    for (const name of readdirSync(cacheDir)) if (name.endsWith('.v8')) rmSync(join(cacheDir, name), { force: true });
    const file = join(dir, 'edited.ts');
    writeFileSync(file, studySource(1));
    expect(runCli('study', [file, '--out', join(dir, `cached-${workers}`), '--workers', workers, '--quiet']).code).toBe(0);
    const caches = readdirSync(cacheDir).filter((name) => name.endsWith('.v8'));
    for (const kind of ['library', 'packages']) {
      expect(caches.filter((name) => name.startsWith(`${kind}-`) && !name.endsWith('.early.v8')).length).toBeGreaterThan(0);
    }
  });

  it('refuses a study that does not compile with one line naming the file, line and column', () => {
    const file = join(dir, 'broken.ts');
    writeFileSync(file, `import { defineStudy } from ${index};\nexport default defineStudy({ name: 'broken', design: { n: [1] } ;\n`);
    const r = runCli('study', [file, '--out', join(dir, 'broken-out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2:\\d+: Expected`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
