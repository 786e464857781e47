import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.ts';
import { fitLmm } from '../../src/lmm/fit.ts';
import { fixefInference, fixefIntervals } from '../../src/lmm/intervals.ts';
import { fixturePath, referenceFits } from '../fixtures/lme4/fixtures.ts';

// Issue 6's tolerance: df within 1 % of lmerTest on every reference fit.
const DF_REL = 0.01;

describe.each(referenceFits.map((r) => [`${r.data} ${r.method} ${r.formula}`, r] as const))('Satterthwaite: %s', (_, ref) => {
  const fit = fitLmm(ref.formula, readCsv(fixturePath(ref.data)).data, { reml: ref.method === 'REML' });

  it('gives lmerTest\'s df and p values', () => {
    const df = fit.satterthwaite();
    expect(Object.keys(df)).toEqual(Object.keys(ref.satterthwaite.df));
    for (const [name, value] of Object.entries(ref.satterthwaite.df)) {
      expect(Math.abs(df[name] / value - 1), name).toBeLessThan(DF_REL);
    }
    for (const r of fixefInference(fit, 'satterthwaite')) {
      const expected = ref.satterthwaite.p[r.name];
      // p values agree to 1 % relative, or both are below 1e-12.
      expect(Math.abs(r.p - expected) <= 0.01 * expected || (r.p < 1e-12 && expected < 1e-12), `${r.name}: ${r.p} vs ${expected}`).toBe(true);
    }
  });

  it('makes t intervals with those df, and Wald intervals with z', () => {
    const df = fit.satterthwaite();
    // Half-widths to 1e-10, or to a few units in the last place of the estimate (sleepstudy_1e8's is 10^8).
    const closeTo = (width: number, half: number, estimate: number) =>
      expect(Math.abs(width - half)).toBeLessThan(Math.max(1e-10, 4 * Number.EPSILON * Math.abs(estimate)));
    for (const r of fixefInference(fit, 'satterthwaite', 0.9)) {
      const half = tQuantile(0.95, df[r.name]) * fit.se[r.name];
      closeTo(r.upper - r.estimate, half, r.estimate);
      closeTo(r.estimate - r.lower, half, r.estimate);
    }
    for (const r of fixefInference(fit, 'wald')) {
      expect(r.df).toBe(Infinity);
      closeTo(r.upper - r.estimate, 1.959963984540054 * fit.se[r.name], r.estimate);
    }
  });

  it('gives the same intervals without the tests (what a study records)', () => {
    for (const method of ['wald', 'satterthwaite'] as const) {
      const intervals = fixefIntervals(fit, method, 0.9);
      expect(intervals).toEqual(fixefInference(fit, method, 0.9).map(({ t: _t, p: _p, ...interval }) => interval));
      for (const r of intervals) expect('p' in r || 't' in r).toBe(false);
    }
  });
});

// Issue 6's tolerance for profile intervals: within 1e-3 of a standard error.
const PROFILE_IN_SE = 1e-3;

describe.each(referenceFits.map((r) => [`${r.data} ${r.method} ${r.formula}`, r] as const))('profile intervals: %s', (_, ref) => {
  const fit = fitLmm(ref.formula, readCsv(fixturePath(ref.data)).data, { reml: ref.method === 'REML' });
  const rows = fixefInference(fit, 'profile');

  it('are the roots of lme4\'s own profile (its ML deviance with the coefficient held)', () => {
    for (const r of rows) {
      expect(Math.abs(r.lower - ref.profile_exact.lower[r.name]) / r.se, `${r.name} lower`).toBeLessThan(PROFILE_IN_SE);
      expect(Math.abs(r.upper - ref.profile_exact.upper[r.name]) / r.se, `${r.name} upper`).toBeLessThan(PROFILE_IN_SE);
    }
  });

  it('agree with lme4\'s confint(method = "profile") wherever its spline holds (not across a singular kink)', () => {
    const spline = ref.profile!;
    for (const r of rows) {
      for (const side of ['lower', 'upper'] as const) {
        const splineError = Math.abs(spline[side][r.name] - ref.profile_exact[side][r.name]) / r.se;
        if (splineError < 1e-4) expect(Math.abs(r[side] - spline[side][r.name]) / r.se, `${r.name} ${side}`).toBeLessThan(PROFILE_IN_SE);
      }
    }
  });
});
