import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli } from './run.ts';
import { tempDir } from '../tempDir.ts';

const fixture = (name: string): string => join(root, 'test', 'fixtures', 'studies', `${name}.ts`);
const out = (): string => tempDir('mixsim-cli-');

describe('npm run study on bad input', () => {
  it.each([
    [['nosuchstudy'], /^error: unknown study 'nosuchstudy' \(studies in .*studies: mixedlm\)$/],
    [[fixture('notastudy')], /^error: .*notastudy\.ts does not export a study: end it with `export default defineStudy/],
    [[fixture('emptyfactor')], /^error: study: design factor 'groups' has no values$/],
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

  it('prints the summary table and where the files are', () => {
    const dir = out();
    const r = runCli('study', [fixture('tiny'), '--out', dir, '--reps', '6', '--estimators', 'mean', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/groups +slope_sd +estimator +parameter +ci +true +bias/);
    expect(r.stdout).toMatch(/\n4 +0\.5 +mean +mean_response +1\.000 /);
    expect(r.stdout).toContain(`wrote ${join(dir, 'summary.csv')}`);
  });

  it('stops quietly when its output is piped into a reader that stops early, its tables written', () => {
    const dir = out();
    const command = `"${process.execPath}" "${join(root, 'src', 'cli', 'launch.cjs')}" study "${fixture('tiny')}" --out "${dir}" --reps 4 --estimators mean --quiet | head -c 1 >/dev/null; exit \${PIPESTATUS[0]}`;
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
