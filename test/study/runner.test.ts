import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv.ts';
import { STREAM_VERSION } from '../../src/rng/stream.ts';
import { sourceHash, studySources } from '../../src/study/load.ts';
import { runStudy } from '../../src/study/runner.ts';
import { REPLICATE_COLUMNS } from '../../src/summary/columns.ts';
import { root } from '../cli/run.ts';
import { tempDir } from '../tempDir.ts';

const studiesDir = join(root, 'test', 'fixtures', 'studies');
const fresh = (): string => tempDir('mixsim-study-');
const quiet = { studiesDir, progress: 'none' as const, log: () => {} };
const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');

/**
 * Recomputes every summary.csv row of a run from its replicates.csv, with plain two-pass formulas, and
 * expects the written values; returns how many rows were checked, and how many rows showed what.
 */
function recomputeSummary(dir: string, reference: string): { checked: number; rows: number; beDiffers: number; compared: number; unpaired: number } {
  const table = (file: string): Record<string, string>[] => {
    const { data } = parseCsv(read(dir, file), file);
    const names = Object.keys(data);
    return Array.from({ length: data[names[0]].length }, (_, i) => Object.fromEntries(names.map((n) => [n, String(data[n][i] ?? '')])));
  };
  const replicates = table('replicates.csv');
  const summary = table('summary.csv');
  const key = (r: Record<string, string>): string => [r.groups, r.slope_sd, r.estimator, r.parameter, r.ci_method].join('|');
  const same = (actual: string, expected: number, what: string): void => {
    if (Number.isNaN(expected)) expect(actual, what).toMatch(/^(NaN|)$/);
    else expect(Math.abs(Number(actual) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
  };
  const mean = (v: number[]): number => v.reduce((t, u) => t + u, 0) / v.length;
  const variance = (v: number[]): number => { const m = mean(v); return v.reduce((a, u) => a + (u - m) ** 2, 0) / (v.length - 1); };
  let checked = 0;
  let beDiffers = 0;
  let compared = 0;
  let unpaired = 0;
  for (const s of summary) {
    if (s.parameter === '') continue; // an estimator that failed in every replicate
    const rows = replicates.filter((r) => key(r) === key(s));
    const failed = replicates.filter((r) => r.groups === s.groups && r.slope_sd === s.slope_sd && r.estimator === s.estimator && r.error !== '');
    const failedReplicates = new Set(failed.map((r) => r.replicate)).size;
    const t = rows.map((r) => Number(r.estimate));
    const T = Number(s.true_value);
    const n = t.length;
    const m = mean(t);
    const empSe = Math.sqrt(t.reduce((a, v) => a + (v - m) ** 2, 0) / (n - 1));
    const ses = rows.map((r) => Number(r.se)).filter(Number.isFinite);
    const modelSe = ses.length ? Math.sqrt(mean(ses.map((v) => v * v))) : NaN;
    const withInterval = rows.filter((r) => Number.isFinite(Number(r.ci_lower)) && Number.isFinite(Number(r.ci_upper)));
    const coverage = withInterval.length ? withInterval.filter((r) => Number(r.ci_lower) <= T && T <= Number(r.ci_upper)).length / withInterval.length : NaN;
    const power = withInterval.length ? withInterval.filter((r) => Number(r.ci_lower) > 0 || Number(r.ci_upper) < 0).length / withInterval.length : NaN;
    const beCoverage = withInterval.length ? withInterval.filter((r) => Number(r.ci_lower) <= m && m <= Number(r.ci_upper)).length / withInterval.length : NaN;
    const seSquareVariance = variance(ses.map((v) => v * v));
    const squaredErrors = t.map((v) => (v - T) ** 2);
    const rmse = Math.sqrt(mean(squaredErrors));
    const what = (measure: string): string => `${key(s)} ${measure}`;
    expect(Number(s.n_reps), what('n_reps')).toBe(n);
    expect(Number(s.n_failed), what('n_failed')).toBe(failedReplicates);
    expect(Number(s.n_nonconverged), what('n_nonconverged')).toBe(rows.filter((r) => r.converged !== 'true').length);
    expect(Number(s.n_singular), what('n_singular')).toBe(rows.filter((r) => r.singular === 'true').length);
    same(s.mean_estimate, m, what('mean_estimate'));
    same(s.bias, m - T, what('bias'));
    same(s.bias_mcse, empSe / Math.sqrt(n), what('bias_mcse'));
    same(s.rel_bias, T !== 0 ? (m - T) / T : NaN, what('rel_bias')); // undefined for a truth of 0
    same(s.rel_bias_mcse, T !== 0 ? Math.sqrt(variance(t.map((v) => (v - T) / T)) / n) : NaN, what('rel_bias_mcse'));
    same(s.emp_se, empSe, what('emp_se'));
    same(s.emp_se_mcse, empSe / Math.sqrt(2 * (n - 1)), what('emp_se_mcse'));
    same(s.model_se, modelSe, what('model_se'));
    same(s.model_se_mcse, Math.sqrt(seSquareVariance / (4 * ses.length * modelSe ** 2)), what('model_se_mcse'));
    same(s.model_se_rel_error, modelSe / empSe - 1, what('model_se_rel_error'));
    same(s.model_se_rel_error_mcse, (modelSe / empSe) * Math.sqrt(seSquareVariance / (4 * ses.length * modelSe ** 4) + 1 / (2 * (n - 1))), what('model_se_rel_error_mcse'));
    same(s.rmse, rmse, what('rmse'));
    same(s.rmse_mcse, Math.sqrt(variance(squaredErrors) / n) / (2 * rmse), what('rmse_mcse'));
    same(s.coverage, coverage, what('coverage'));
    same(s.coverage_mcse, Math.sqrt((coverage * (1 - coverage)) / withInterval.length), what('coverage_mcse'));
    same(s.be_coverage, beCoverage, what('be_coverage'));
    same(s.be_coverage_mcse, Math.sqrt((beCoverage * (1 - beCoverage)) / withInterval.length), what('be_coverage_mcse'));
    if (beCoverage !== coverage) beDiffers++;
    same(s.power, power, what('power'));
    same(s.power_mcse, Math.sqrt((power * (1 - power)) / withInterval.length), what('power_mcse'));
    const widths = withInterval.map((r) => Number(r.ci_upper) - Number(r.ci_lower));
    same(s.ci_width, widths.length ? mean(widths) : NaN, what('ci_width'));
    same(s.ci_width_mcse, Math.sqrt(variance(widths) / widths.length), what('ci_width_mcse'));
    // Relative precision: against the reference's estimates of the parameter (its first interval method's).
    const referenceRows = replicates.filter((r) => r.groups === s.groups && r.slope_sd === s.slope_sd && r.estimator === reference && r.parameter === s.parameter);
    const referenceOf = new Map(referenceRows.filter((r) => r.ci_method === referenceRows[0].ci_method).map((r) => [r.replicate, Number(r.estimate)]));
    const pairs = rows.map((r) => [referenceOf.get(r.replicate) ?? NaN, Number(r.estimate)]).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (referenceRows.length === 0) {
      same(s.rel_precision, NaN, what('rel_precision'));
      same(s.rel_precision_mcse, NaN, what('rel_precision_mcse'));
    } else {
      const referenceEstimates = [...referenceOf.values()];
      const ratio = variance(referenceEstimates) / empSe ** 2;
      const [xs, ys] = [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
      const [mx, my] = [mean(xs), mean(ys)];
      // Equal estimates (the reference against itself) are correlated 1, which the two-pass sums can miss by an ulp.
      const rho = pairs.every(([x, y]) => x === y) ? 1 : pairs.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / Math.sqrt(variance(xs) * variance(ys) * (pairs.length - 1) ** 2);
      same(s.rel_precision, ratio - 1, what('rel_precision'));
      same(s.rel_precision_mcse, 2 * ratio * Math.sqrt(Math.max(0, 1 - rho * rho) / (n - 1)), what('rel_precision_mcse'));
      compared++;
      if (pairs.length < n) unpaired++;
    }
    checked++;
  }
  return { checked, rows: summary.length, beDiffers, compared, unpaired };
}

describe('runStudy', () => {
  const one = fresh();
  const two = fresh();
  const small = fresh();
  let results: Awaited<ReturnType<typeof runStudy>>;

  it('runs every condition x replicate x estimator and writes both tables', async () => {
    results = await runStudy({ study: 'tiny', out: one, workers: 1, ...quiet });
    expect(results.ran).toBe(48);
    expect(results.replicateSeconds).toBeGreaterThan(0);
    expect(results.replicateSeconds).toBeLessThan(results.seconds);
    const replicates = read(one, 'replicates.csv').trim().split('\n');
    expect(replicates[0]).toBe('groups,slope_sd,condition,replicate,estimator,parameter,estimate,se,ci_lower,ci_upper,ci_method,converged,singular,error,seed');
    expect(replicates[0]).toBe(['groups', 'slope_sd', ...REPLICATE_COLUMNS].join(','));
    const summary = read(one, 'summary.csv').trim().split('\n');
    expect(summary[0]).toBe('groups,slope_sd,estimator,parameter,ci_method,true_value,n_reps,n_failed,mean_estimate,bias,bias_mcse,rel_bias,rel_bias_mcse,emp_se,emp_se_mcse,rel_precision,rel_precision_mcse,model_se,model_se_mcse,model_se_rel_error,model_se_rel_error_mcse,rmse,rmse_mcse,coverage,coverage_mcse,be_coverage,be_coverage_mcse,power,power_mcse,ci_width,ci_width_mcse,n_nonconverged,n_singular');
    // rs: 2 fixed effects x 2 interval methods + 4 variance parameters; mean: 1; flaky: 1 (failures have no row of their own).
    expect(summary).toHaveLength(1 + 2 * (8 + 1 + 1));
    expect(summary.filter((l) => l.includes(',rs,X,satterthwaite,')).length).toBe(2);
  });

  it('gives byte-identical tables for any number of workers and chunk size', async () => {
    await runStudy({ study: 'tiny', out: two, workers: 2, ...quiet });
    await runStudy({ study: 'tiny', out: small, workers: 2, chunkSize: 5, ...quiet });
    for (const file of ['replicates.csv', 'summary.csv']) {
      expect(read(two, file)).toBe(read(one, file));
      expect(read(small, file)).toBe(read(one, file));
    }
  });

  it("writes in summary.csv what replicates.csv gives, recomputed in two passes (Morris, White & Crowther's Table 6)", () => {
    const { checked, rows, beDiffers, compared } = recomputeSummary(one, 'rs');
    expect(checked).toBe(rows);
    expect(beDiffers).toBeGreaterThan(0); // the check can tell the mean estimate from the truth
    expect(compared).toBe(8 * 2); // rs against itself: its 8 rows in each condition
  });

  it('compares each estimator with the reference over the replicates where both have an estimate', async () => {
    const compare = fresh();
    await runStudy({ study: 'compare', out: compare, workers: 2, chunkSize: 4, ...quiet });
    const { checked, rows, compared, unpaired } = recomputeSummary(compare, 'ols');
    expect(checked).toBe(rows);
    expect(compared).toBe(2 * (2 + 2 + 2 * 2)); // the fixed effects of ols, ri and rs (2 interval methods), in 2 conditions
    expect(unpaired).toBeGreaterThan(0); // mixed-model estimates in replicates where ols failed
    expect(JSON.parse(read(compare, 'run.json')).reference).toBe('ols');
  });

  it('records an estimator that throws, and goes on', () => {
    const failures = read(one, 'replicates.csv').split('\n').filter((l) => l.includes(',flaky,,'));
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]).toMatch(/first X is \d\.\d{3}, above 1/);
    const flaky = results.summary.filter((r) => r.estimator === 'flaky');
    for (const r of flaky) expect(r.performance.nFailed + r.performance.nReps).toBe(24);
  });

  it('refuses to overwrite a journal without --resume, and resumes a complete one without rerunning', async () => {
    await expect(runStudy({ study: 'tiny', out: one, ...quiet })).rejects.toThrow(/holds a run already: add --resume/);
    const again = await runStudy({ study: 'tiny', out: one, resume: true, ...quiet });
    expect(again.ran).toBe(0);
    expect(again.replicateSeconds).toBe(0);
  });

  it('starts a run that --resume finds no journal for, and says so', async () => {
    const out = fresh();
    const notes: string[] = [];
    const started = await runStudy({ study: 'tiny', out, replications: 3, estimators: ['mean'], resume: true, ...quiet, log: (line) => notes.push(line) });
    expect(started.ran).toBe(2 * 3); // two conditions
    expect(notes).toContain(`note: --resume: no journal at ${join(out, 'journal.ndjson')}; starting the run`);
  });

  it('extends a run with --resume --reps N, or makes its tables of the first N, as fresh runs of N would be', async () => {
    const only = { estimators: ['mean', 'flaky'], ...quiet };
    const fresh10 = fresh();
    await runStudy({ study: 'tiny', out: fresh10, replications: 10, ...only });
    const fresh4 = fresh();
    await runStudy({ study: 'tiny', out: fresh4, replications: 4, ...only });

    const out = fresh();
    await runStudy({ study: 'tiny', out, replications: 6, ...only });
    const notes: string[] = [];
    const extended = await runStudy({ study: 'tiny', out, replications: 10, resume: true, ...only, log: (line) => notes.push(line) });
    expect(extended.ran).toBe(8);
    expect(notes).toContain("note: 10 replicates per condition now, extending the journal's 6");
    expect(read(out, 'replicates.csv')).toBe(read(fresh10, 'replicates.csv'));
    expect(read(out, 'summary.csv')).toBe(read(fresh10, 'summary.csv'));
    // --resume alone goes on with the journal's replicates, not the study file's 24.
    expect((await runStudy({ study: 'tiny', out, resume: true, ...only })).ran).toBe(0);
    expect(read(out, 'summary.csv')).toBe(read(fresh10, 'summary.csv'));

    const fewer = await runStudy({ study: 'tiny', out, replications: 4, resume: true, ...only });
    expect(fewer.ran).toBe(0);
    expect(read(out, 'replicates.csv')).toBe(read(fresh4, 'replicates.csv'));
    expect(read(out, 'summary.csv')).toBe(read(fresh4, 'summary.csv'));
    expect(read(out, 'journal.ndjson').match(/^\{"replications":\d+\}$/gm)).toEqual(['{"replications":10}', '{"replications":4}']);
  });

  it("refuses to change a shard's replicates on --resume", async () => {
    const out = fresh();
    await runStudy({ study: 'tiny', out, replications: 6, shard: { index: 0, count: 2 }, ...quiet });
    await expect(runStudy({ study: 'tiny', out, replications: 8, resume: true, shard: { index: 0, count: 2 }, ...quiet })).rejects.toThrow(
      "--resume refused: a shard's replicates per condition cannot change (its journal's: 6, this run's: 8); resume it with --reps 6",
    );
  });

  it('refuses --resume when the seed, conditions or estimators changed', async () => {
    await expect(runStudy({ study: 'tiny', out: one, resume: true, seed: 8, ...quiet })).rejects.toThrow('--resume refused: the journal was written with seed 7, this run has seed 8');
    await expect(runStudy({ study: 'tiny', out: one, resume: true, where: ['groups=4'], ...quiet })).rejects.toThrow(/conditions run \(--where\) changed/);
    await expect(runStudy({ study: 'tiny', out: one, resume: true, estimators: ['rs'], ...quiet })).rejects.toThrow(/estimators changed/);
  });

  it('refuses --resume of a journal whose replicates another random stream drew (or that records none)', async () => {
    const journal = read(one, 'journal.ndjson');
    const header = JSON.parse(journal.slice(0, journal.indexOf('\n')));
    expect(header.stream).toBe(STREAM_VERSION);
    for (const stream of ['mt19937/1', undefined]) {
      const old = fresh();
      const written = `${JSON.stringify({ ...header, stream })}\n${journal.slice(journal.indexOf('\n') + 1)}`;
      writeFileSync(join(old, 'journal.ndjson'), written);
      await expect(runStudy({ study: 'tiny', out: old, resume: true, ...quiet })).rejects.toThrow(
        `--resume refused: the journal holds replicates drawn by random stream mt19937/1, while this mixsim draws ${STREAM_VERSION} (other data from the same seeds): start a new run`);
      expect(read(old, 'journal.ndjson')).toBe(written);
    }
  });

  it("notes on --resume that the study's source changed: its file, or a module of its own it imports", async () => {
    const dir = tempDir('mixsim-sources-');
    const studies = join(dir, 'studies');
    mkdirSync(join(studies, 'lib'), { recursive: true });
    const file = join(studies, 'helped.ts');
    const helper = join(studies, 'lib', 'slope.ts');
    writeFileSync(helper, 'export const SLOPE = -0.5;\n');
    writeFileSync(file, [
      `import { defineStudy, simulateMixedData } from ${JSON.stringify(join(root, 'src', 'index.ts'))};`,
      "import { SLOPE } from './lib/slope';",
      'export default defineStudy({',
      '  design: { groups: [4] }, replications: 2, seed: 3,',
      "  generate: (c, rng) => simulateMixedData({ rows: 20, groups: c.groups, assignment: 'balanced', intercept: 1, slope: SLOPE, interceptSd: 1, residualSd: 1 }, rng),",
      '  estimators: { slope: () => ({ slope: SLOPE }) },',
      '  truth: () => ({ slope: -0.5 }),',
      '});',
      '',
    ].join('\n'));
    expect(studySources(file)).toEqual([file, helper]);
    // A study that imports nothing of its own keeps the hash its journals have recorded from the start.
    const tiny = join(studiesDir, 'tiny.ts');
    expect(studySources(tiny)).toEqual([tiny]);
    expect(sourceHash(tiny)).toBe(createHash('sha256').update(readFileSync(tiny)).digest('hex'));

    const out = join(dir, 'out');
    const resume = async (replications: number): Promise<string[]> => {
      const notes: string[] = [];
      await runStudy({ study: 'helped', studiesDir: studies, out, replications, resume: true, progress: 'none', log: (line) => notes.push(line) });
      return notes.filter((n) => n.includes('changed'));
    };
    await resume(2);
    expect(await resume(3)).toEqual([]);
    writeFileSync(helper, 'export const SLOPE = 0.75;\n');
    const changed = await resume(4);
    expect(changed).toEqual(["note: helped's study file, or a module of its own it imports, changed since the journal was started"]);
    // The replicates run since the change have the helper's new value: what the note warns of.
    expect(read(out, 'replicates.csv').trim().split('\n').slice(1).map((l) => l.split(',')[5])).toEqual(['-0.5', '-0.5', '-0.5', '0.75']);
  });

  it("gives an estimator its own seeded stream: the same draws for any workers, chunks or other estimators", async () => {
    const whole = fresh();
    await runStudy({ study: 'bootstrap', out: whole, workers: 1, ...quiet });
    const split = fresh();
    await runStudy({ study: 'bootstrap', out: split, workers: 2, chunkSize: 1, ...quiet });
    expect(read(split, 'replicates.csv')).toBe(read(whole, 'replicates.csv'));
    const alone = fresh();
    await runStudy({ study: 'bootstrap', out: alone, estimators: ['boot'], ...quiet });
    const bootRows = (dir: string): string[] => read(dir, 'replicates.csv').split('\n').filter((l) => l.includes(',boot,'));
    expect(bootRows(alone)).toEqual(bootRows(whole));
    expect(bootRows(whole)).toHaveLength(2 * 6);
    // The draws are a bootstrap's: its SE of the mean is the plain one within its own error (400 resamples:
    // about 3.5 %), and its estimate is the sample mean exactly.
    const rows = parseCsv(read(whole, 'replicates.csv'), 'replicates.csv').data;
    const at = (estimator: string): number[] => (rows.estimator as string[]).flatMap((e, i) => (e === estimator ? [i] : []));
    const [boot, plain] = [at('boot'), at('plain')];
    boot.forEach((b, k) => {
      expect(rows.estimate[b]).toBe(rows.estimate[plain[k]]);
      expect(Math.abs(Number(rows.se[b]) / Number(rows.se[plain[k]]) - 1)).toBeLessThan(0.15);
      expect(Number(rows.ci_lower[b])).toBeLessThan(Number(rows.estimate[b]));
      expect(Number(rows.ci_upper[b])).toBeGreaterThan(Number(rows.estimate[b]));
    });
    // Replicates draw differently: no two bootstrap SEs are the same.
    expect(new Set(boot.map((b) => rows.se[b])).size).toBe(boot.length);
  });

  it('runs only the conditions and estimators asked for, with the same numbers as the full run', async () => {
    const part = fresh();
    await runStudy({ study: 'tiny', out: part, where: ['groups=8'], estimators: ['rs'], ...quiet });
    const lines = read(part, 'replicates.csv').trim().split('\n');
    const full = new Set(read(one, 'replicates.csv').split('\n'));
    expect(lines.slice(1).every((l) => l.startsWith('8,0.5,1,') && l.includes(',rs,') && full.has(l))).toBe(true);
  });

  it.each([
    [{ replications: 0 }, "runStudy: option 'replications' (--reps) must be a positive integer, not 0"],
    [{ workers: 1.5 }, "runStudy: option 'workers' (--workers) must be a positive integer, not 1.5"],
    [{ chunkSize: -2 }, "runStudy: option 'chunkSize' (--chunk-size) must be a positive integer, not -2"],
    [{ maxErrors: -1 }, "runStudy: option 'maxErrors' (--max-errors) must be a non-negative integer, not -1"],
    [{ seed: 2 ** 32 }, "runStudy: option 'seed' (--seed) must be an integer from 0 to 4294967295, not 4294967296"],
  ])('names the option and its flag when %j is refused', async (option, message) => {
    await expect(runStudy({ study: 'tiny', out: fresh(), ...quiet, ...option })).rejects.toThrow(message);
  });

  it('runs an estimator named twice once', async () => {
    const once = fresh();
    await runStudy({ study: 'tiny', out: once, replications: 3, estimators: ['mean'], ...quiet });
    const twice = fresh();
    await runStudy({ study: 'tiny', out: twice, replications: 3, estimators: ['mean', 'mean'], ...quiet });
    expect(read(twice, 'replicates.csv')).toBe(read(once, 'replicates.csv'));
    expect(read(twice, 'summary.csv')).toBe(read(once, 'summary.csv'));
  });

  it('stops cleanly at --max-errors with the journal intact', async () => {
    const out = fresh();
    await expect(runStudy({ study: 'tiny', out, maxErrors: 0, workers: 1, chunkSize: 1, ...quiet })).rejects.toThrow(/stopped after 1 estimator failures \(--max-errors 0\)/);
    expect(existsSync(join(out, 'journal.ndjson'))).toBe(true);
    expect(existsSync(join(out, 'summary.csv'))).toBe(false);
    const finished = await runStudy({ study: 'tiny', out, resume: true, ...quiet });
    expect(read(out, 'replicates.csv')).toBe(read(one, 'replicates.csv'));
    expect(finished.ran).toBeLessThan(48);
  });
});
