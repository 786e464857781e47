import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../src/data/csv.ts';
import { nodeFlags, root, runCli } from './run.ts';
import { tempDir } from '../tempDir.ts';

const fixture = (name: string): string => join(root, 'test', 'fixtures', 'studies', `${name}.ts`);
const out = (): string => tempDir('mixsim-cli-');

describe('npm run study on bad input', () => {
  it.each([
    [['nosuchstudy'], /^error: unknown study 'nosuchstudy' \(studies in .*studies: clustertrial, mixedlm\)$/],
    [[], /^error: study: which study\? npm run study <name> \(studies: clustertrial, mixedlm; flags: npm run study -- --help\)$/],
    [[fixture('notastudy')], /^error: .*notastudy\.ts does not export a study: end it with `export default defineStudy/],
    [[fixture('emptyfactor')], /^error: study: design factor 'groups' has no values$/],
    [[fixture('throwsonload')], /^error: .*throwsonload\.ts:4:\d+: the study file failed to load: SyntaxError: .*JSON/],
    [[fixture('badtruth')], /^error: study 'badtruth': truth\(\{"groups":8\}\) threw: no true value known for 8 groups$/],
    [[fixture('missingpackage')], /^error: .*missingpackage\.ts: the study file failed to load: Cannot find module 'no-such-simulation-package'$/],
    [[fixture('tiny'), '--reps', '0'], /^error: study: --reps must be a positive integer, not '0'$/],
    [[fixture('tiny'), '--reps', '-3'], /^error: study: --reps must be a positive integer, not '-3'$/],
    [[fixture('tiny'), '--workers', 'two'], /^error: study: --workers must be a positive integer, not 'two'$/],
    [[fixture('tiny'), '--seed', '-3'], /^error: study: --seed must be a non-negative integer, not '-3'$/],
    [[fixture('tiny'), '--max-errors', 'x'], /^error: study: --max-errors must be a non-negative integer, not 'x'$/],
    [[fixture('tiny'), '--where', 'size=4'], /^error: --where: unknown design factor 'size' \(factors: groups, slope_sd\)$/],
    [[fixture('tiny'), '--where', 'groups=5'], /^error: --where: factor 'groups' has no value '5' \(values: 4, 8\)$/],
    [[fixture('tiny'), '--estimators', 'rs,lasso'], /^error: --estimators: unknown estimator 'lasso' \(estimators: rs, mean, flaky\)$/],
    [[fixture('tiny'), '--colour'], /^error: study: unknown flag --colour/],
  ])('%j', (args, message) => {
    const r = runCli('study', [...args, '--out', out()]);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(2);
  });

  it('names --out when a file is in its way, and when the system refuses the folder', () => {
    const dir = out();
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'x');
    const underFile = runCli('study', [fixture('tiny'), '--reps', '2', '--out', join(file, 'run')]);
    expect(underFile.stderr).toBe(`error: --out: '${file}' is a file, not a folder\n`);
    expect(underFile.code).toBe(2);
    if (!existsSync('/proc/self')) return;
    // Node's own recursive mkdir spun here at full CPU until killed.
    const refused = runCli('study', [fixture('tiny'), '--reps', '2', '--out', '/proc/mixsim-run'], { timeout: 30_000 });
    expect(refused.stderr).toBe("error: --out: cannot make the folder '/proc/mixsim-run': no such file or directory (ENOENT)\n");
    expect(refused.code).toBe(2);
  });

  it('says in one line which file it could not write, and keeps the journal', () => {
    const dir = out();
    mkdirSync(join(dir, 'summary.csv'));
    const r = runCli('study', [fixture('tiny'), '--reps', '2', '--estimators', 'mean', '--quiet', '--out', dir]);
    expect(r.stderr).toBe(`error: cannot open '${join(dir, 'summary.csv')}': illegal operation on a directory (EISDIR)\n`);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'journal.ndjson'), 'utf8').trim().split('\n')).toHaveLength(1 + 4);
  });

  it('says which estimators failed, how often and the first error, and writes errors with commas as one field', () => {
    const dir = out();
    const r = runCli('study', [fixture('tiny'), '--out', dir, '--estimators', 'flaky', '--quiet']);
    expect(r.code).toBe(0);
    // tiny's flaky estimator throws when a replicate's first X is above 1: replicate 12 of groups=4, 11 and 12 of groups=8.
    expect(r.stdout).toMatch(/ +n +failed +singular\n/);
    expect(r.stdout).toMatch(/\n8 +0\.5 +flaky +first_x .* 22 +2 +0\n/);
    expect(r.stdout).toContain([
      'failures (the error column of replicates.csv has each one):',
      '  flaky, groups=4 slope_sd=0.5: 1 replicate failed; the first, replicate 12: first X is 2.158, above 1',
      '  flaky, groups=8 slope_sd=0.5: 2 replicates failed; the first, replicate 11: first X is 2.199, above 1',
      `replay one alone, with its dataset: npm run study ${fixture('tiny')} -- --out ${dir} --replay 0:12`,
    ].join('\n'));
    const records = parseCsvRecords(readFileSync(join(dir, 'replicates.csv'), 'utf8'), 'replicates.csv').map((x) => x.fields);
    const header = records[0];
    expect(records.every((x) => x.length === header.length)).toBe(true);
    const errors = records.slice(1).map((x) => x[header.indexOf('error')]).filter((e) => e !== '');
    expect(errors).toEqual(['first X is 2.158, above 1', 'first X is 2.199, above 1', 'first X is 1.356, above 1']);
  });

  it('prints the summary table and where the files are', () => {
    const dir = out();
    const r = runCli('study', [fixture('tiny'), '--out', dir, '--reps', '6', '--estimators', 'mean', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/groups +slope_sd +estimator +parameter +ci +true +bias/);
    expect(r.stdout).toMatch(/\n4 +0\.5 +mean +mean_response +1\.000 /);
    expect(r.stdout).toContain(`wrote ${join(dir, 'summary.csv')}`);
  });

  it('prints the first 100 rows of a larger summary, then how many more summary.csv has', () => {
    const dir = out();
    const r = runCli('study', [fixture('grid'), '--out', dir, '--quiet']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((line) => /^\d+ +[\d.]+ +\d+ +[\d.]+ +mean +mean_response /.test(line));
    expect(rows).toHaveLength(100);
    // The first rows of the grid, in its order (the first factor varies fastest), then the note.
    expect(rows.slice(0, 2).map((line) => line.split(/ +/).slice(0, 4).join(' '))).toEqual(['4 0 40 0.1', '6 0 40 0.1']);
    expect(r.stdout).toContain(`\n... and 20 more rows (120 in all) in summary.csv\n`);
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n')).toHaveLength(121);
    expect(r.stdout).toContain(`wrote ${join(dir, 'summary.csv')}`);
  });

  it('names the true values no estimator reported, with the reported name each is likely meant for', () => {
    const typo = runCli('study', [fixture('truthtypo'), '--out', out(), '--quiet']);
    expect(typo.code).toBe(0);
    // The misspelt parameters have no truth in the table, and the note names them (NaN truths are no values).
    expect(typo.stdout).toMatch(/\n4 +ols +X +NA +NA /);
    expect(typo.stdout).toContain("\n\ntruth gives values for parameters no estimator reported, so they have no bias, RMSE or coverage: "
      + "'Intercept' (did you mean '(Intercept)'?), 'x' (did you mean 'X'?), 'sd:group:(Intercept)'\n\n");
    // Every truth of tiny's is reported when all its estimators run; with one of them, the others' are not checked.
    for (const only of [[], ['--estimators', 'mean']]) {
      const r = runCli('study', [fixture('tiny'), '--out', out(), '--reps', '2', '--quiet', ...only]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/\n8 +0\.5 +mean +mean_response +1\.000 /);
      expect(r.stdout).not.toContain('truth gives');
    }
  });

  it('stops quietly when its output is piped into a reader that stops early, its tables written', () => {
    const dir = out();
    const command = `"${process.execPath}" ${nodeFlags('study').join(' ')} "${join(root, 'src', 'cli', 'launch.cjs')}" study "${fixture('tiny')}" --out "${dir}" --reps 4 --estimators mean --quiet | head -c 1 >/dev/null; exit \${PIPESTATUS[0]}`;
    const r = spawnSync('bash', ['-c', command], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'summary.csv'))).toBe(true);
  });

  it('prints plain progress lines when stderr is not a terminal', () => {
    const r = runCli('study', [fixture('tiny'), '--out', out(), '--reps', '4', '--estimators', 'mean']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^progress: 8\/8 replicates \(100%\), \d+ rep\/s/m);
  });
});
