import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath, referenceFits } from '../fixtures/lme4/fixtures.ts';
import { runCli } from './run.ts';
import { tempDir } from '../tempDir.ts';

describe('npm run fit', () => {
  it('prints the JSON keys lme4 users expect, with lme4\'s values', () => {
    const ref = referenceFits.find((r) => r.formula === 'Reaction ~ Days + (Days | Subject)' && r.method === 'ML')!;
    const r = runCli('fit', ['--data', fixturePath(ref.data), '--formula', ref.formula, '--ml', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.method).toBe('ML');
    expect(json.n).toBe(180);
    expect(json.groups).toEqual({ Subject: 18 });
    expect(Math.abs(json.objective - ref.tight.objective)).toBeLessThan(1e-5);
    expect(Math.abs(json.logLik - ref.tight.logLik)).toBeLessThan(1e-5);
    expect(Math.abs(json.fixef.Days - ref.tight.fixef.Days)).toBeLessThan(1e-3 * ref.tight.se.Days);
    expect(Math.abs(json.sd['Subject:Days'] / ref.tight.sd['Subject:Days'] - 1)).toBeLessThan(1e-4);
    expect(Math.abs(json.corr['Subject:(Intercept):Days'] - ref.tight.corr['Subject:(Intercept):Days'])).toBeLessThan(1e-3);
    expect(json.theta).toHaveLength(3);
    expect(Math.abs(json.df.Days / ref.satterthwaite.df.Days - 1)).toBeLessThan(0.01);
    expect(Math.abs(json.p.Days / ref.satterthwaite.p.Days - 1)).toBeLessThan(0.01);
    expect(json.singular).toBe(false);
    expect(json.converged).toBe(true);
    expect(json.feval).toBeGreaterThan(0);
  });

  it('prints a summary like summary(lmer()), with a singular-fit warning', () => {
    const ref = referenceFits.find((f) => f.data === 'Dyestuff2.csv' && f.method === 'REML')!;
    const r = runCli('fit', ['--data', fixturePath(ref.data), '--formula', ref.formula]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`REML criterion at convergence: ${ref.tight.objective.toFixed(1)}`);
    expect(r.stdout).toMatch(new RegExp(`Residual +${(ref.tight.sigma ** 2).toFixed(3)} +${ref.tight.sigma.toFixed(4)}`));
    expect(r.stdout).toMatch(/Batch +\(Intercept\) +0\.000 +0\.0000/);
    expect(r.stdout).toMatch(/Estimate Std\. Error +df t value Pr\(>\|t\|\)/);
    expect(r.stdout).toContain(` ${ref.satterthwaite.df['(Intercept)'].toFixed(3)} `);
    expect(r.stdout).toContain('Number of obs: 30, groups:  Batch, 6');
    expect(r.stdout).toContain('boundary (singular) fit');
  });

  it('prints and returns intervals by the method asked for', () => {
    const ref = referenceFits.find((r) => r.formula === 'Reaction ~ Days + (Days | Subject)' && r.method === 'REML')!;
    const r = runCli('fit', ['--data', fixturePath(ref.data), '--formula', ref.formula, '--ci', 'profile', '--json']);
    expect(r.code).toBe(0);
    const ci = JSON.parse(r.stdout).ci;
    expect(ci.method).toBe('profile');
    expect(Math.abs(ci.lower.Days - ref.profile_exact.lower.Days) / ref.tight.se.Days).toBeLessThan(1e-3);
    expect(Math.abs(ci.upper.Days - ref.profile_exact.upper.Days) / ref.tight.se.Days).toBeLessThan(1e-3);
    const text = runCli('fit', ['--data', fixturePath(ref.data), '--formula', ref.formula, '--ci', 'satterthwaite', '--level', '0.9']);
    expect(text.stdout).toMatch(/Confidence intervals \(satterthwaite, 90 %\):\n +5 % +95 %\n\(Intercept\) /);
  });

  it('reports rows dropped for missing values', () => {
    const r = runCli('fit', ['--data', fixturePath('mid30.csv'), '--formula', 'y ~ x + f + (1 | g)']);
    expect(r.stdout).toMatch(/\(\d+ rows dropped for missing values\)/);
  });

  const dir = tempDir('mixsim-fit-');
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'y,x,g\n1,2,a\n2,oops,b\n3,4,a\n4,5,b\n');
  const semicolons = join(dir, 'semicolons.csv');
  writeFileSync(semicolons, 'y;x;g\n1;2;a\n2;3;b\n3;4;a\n4;5;b\n');
  const tabs = join(dir, 'tabs.tsv');
  writeFileSync(tabs, 'y\tx\tg\n1\t2\ta\n2\t3\tb\n3\t4\ta\n4\t5\tb\n');
  it.each([
    [['--data', join(dir, 'none.csv'), '--formula', 'y ~ x + (1 | g)'], /^error: .*none\.csv: no such file\n$/],
    [['--data', bad, '--formula', 'y ~ x + (1 | g)'], /^error: .*bad\.csv: column 'x', line 3: 'oops' is not a number\n$/],
    [['--data', bad, '--formula', 'y ~ x + (1 | g'], /^error: malformed formula 'y ~ x \+ \(1 \| g': expected '\)'/],
    [['--data', bad, '--formula', 'y ~ w + (1 | g)'], /^error: .*bad\.csv: unknown column 'w'/],
    [['--data', semicolons, '--formula', 'y ~ x + (1 | g)'], /^error: .*semicolons\.csv: unknown column 'y' .*\(columns: y;x;g\); the file looks separated by ';', and mixsim reads comma-separated values\n$/],
    [['--data', tabs, '--formula', 'y ~ x + (1 | g)'], /^error: .*tabs\.tsv: unknown column 'y' .*; the file looks separated by tabs, and mixsim reads comma-separated values\n$/],
    [['--data', bad, '--formla', 'y ~ w'], /^error: fit: unknown flag --formla/],
    [['--data', bad, '--formula', 'y ~ x + (1 | g)', '--ci', 'boot'], /^error: fit: --ci: unknown interval method 'boot' \(methods: wald, satterthwaite, profile\)\n$/],
    [['--data', bad, '--formula', 'y ~ x + (1 | g)', '--ci', 'wald', '--level', '95'], /^error: fit: --level must be a number between 0 and 1, not '95'\n$/],
  ])('fails with one line: %j', (args, message) => {
    const r = runCli('fit', args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});
