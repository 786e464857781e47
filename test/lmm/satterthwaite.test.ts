import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.ts';
import { fitLmm } from '../../src/lmm/fit.ts';
import { fixefInference, fixefIntervals } from '../../src/lmm/intervals.ts';
import { fixturePath, referenceFits, type ReferenceFit } from '../fixtures/lme4/fixtures.ts';

// Issue 6's tolerance: df within 1 % of lmerTest on every reference fit.
const DF_REL = 0.01;

type Satterthwaite = ReferenceFit['satterthwaite'];

/**
 * lmerTest takes the Hessian of the deviance numerically (numDeriv, from steps of a tenth of each parameter);
 * the fixtures also hold its df from steps of a hundredth (lme4-helpers.R). The two agree within the
 * tolerance on every fixture but these, where the one named is right:
 * - far50_curved: the deviance curves sharply in the slope's theta within a tenth of it. Steps of a
 *   hundredth and of a thousandth agree (ML intercept: 2.0123 and 2.0116 df); lmerTest's own give 16.8.
 * - sleepstudy_1e8: R's deviance of a response 10^8 from 0 is rounded to about 1e-8 of itself, which second
 *   differences over the finer steps amplify (REML intercept: 17.32 df). The same model without the offset
 *   (sleepstudy) gives 17.000 from either step, and lmerTest's own steps give 17.005 here.
 * - three_effects_small: the criterion is nearly flat along one direction of theta (the Hessian's least
 *   eigenvalue is 0.021), and steps of a tenth reach where it curves down: their Hessian has an eigenvalue
 *   of -0.96, which lmerTest drops (REML intercept: 27.4 df). Steps of a hundredth and of a thousandth agree
 *   (3.2400 and 3.2401 df).
 * - flat_slope: the criterion is nearly flat along Z's diagonal of theta (the Hessian's least eigenvalue is
 *   0.0037), and R's deviance is rounded enough that small steps lose it: steps of a ten-thousandth, a
 *   thousandth and a hundredth give 264, 217 and 150.0 df for the REML intercept, and longer ones settle,
 *   3e-2 and lmerTest's own 0.1 giving 148.4 and 148.19. mixsim's analytic gradient gives 148.41, 148.114 and
 *   148.111 from relative steps of 1e-4, 1e-5 (its own) and 1e-6.
 */
const STEPS_DIFFER: Record<string, (ref: ReferenceFit) => Satterthwaite> = {
  'far50_curved.csv': (ref) => ref.satterthwaite_fine,
  'sleepstudy_1e8.csv': (ref) => ref.satterthwaite,
  'three_effects_small.csv': (ref) => ref.satterthwaite_fine,
  'flat_slope.csv': (ref) => ref.satterthwaite,
};

/** Whether lmerTest's df from its own steps and from steps of a hundredth agree within the tolerance. */
const stepsAgree = (ref: ReferenceFit): boolean =>
  Object.entries(ref.satterthwaite.df).every(([name, df]) => Math.abs(df / ref.satterthwaite_fine.df[name] - 1) < DF_REL);

/** The reference df and p values: from lmerTest's finer steps, or where they are off, its own. */
const reference = (ref: ReferenceFit): Satterthwaite => (STEPS_DIFFER[ref.data] ?? ((r: ReferenceFit) => r.satterthwaite_fine))(ref);

/** p values agree to 1 % relative, or both are below 1e-12. */
const pClose = (p: number, expected: number): boolean => Math.abs(p - expected) <= 0.01 * expected || (p < 1e-12 && expected < 1e-12);

describe('lmerTest\'s numerical Hessian', () => {
  it('gives the same df from steps of a tenth and of a hundredth, on every fixture but those explained', () => {
    const differ = [...new Set(referenceFits.filter((r) => !stepsAgree(r)).map((r) => r.data))].sort();
    expect(differ).toEqual(Object.keys(STEPS_DIFFER).sort());
  });
});

describe.each(referenceFits.map((r) => [`${r.data} ${r.method} ${r.formula}`, r] as const))('Satterthwaite: %s', (_, ref) => {
  const fit = fitLmm(ref.formula, readCsv(fixturePath(ref.data)).data, { reml: ref.method === 'REML' });

  it('gives lmerTest\'s df and p values (from its finer steps, or its own where those are off)', () => {
    const expected = reference(ref);
    const df = fit.satterthwaite();
    expect(Object.keys(df)).toEqual(Object.keys(expected.df));
    for (const [name, value] of Object.entries(expected.df)) {
      expect(Math.abs(df[name] / value - 1), name).toBeLessThan(DF_REL);
    }
    for (const r of fixefInference(fit, 'satterthwaite')) {
      expect(pClose(r.p, expected.p[r.name]), `${r.name}: ${r.p} vs ${expected.p[r.name]}`).toBe(true);
    }
  });

  it.runIf(stepsAgree(ref))('gives lmerTest\'s df and p values as lmerTest computes them, where both steps agree', () => {
    const df = fit.satterthwaite();
    for (const [name, value] of Object.entries(ref.satterthwaite.df)) {
      expect(Math.abs(df[name] / value - 1), name).toBeLessThan(DF_REL);
    }
    for (const r of fixefInference(fit, 'satterthwaite')) {
      expect(pClose(r.p, ref.satterthwaite.p[r.name]), `${r.name}: ${r.p} vs ${ref.satterthwaite.p[r.name]}`).toBe(true);
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

/**
 * Fits whose lme4 confint(method = "profile") stops with an error, so that only the roots of lme4's own
 * profile are compared: three_effects and three_effects_saddle, singular fits of three random effects, where
 * lme4 says "Profiling over both the residual variance and fixed effects is not numerically consistent with
 * profiling over the fixed effects only" (make-fixtures.R records no `profile` then).
 */
const NO_SPLINE = ['three_effects.csv REML', 'three_effects.csv ML', 'three_effects_saddle.csv REML'];

it('lme4\'s profile spline is missing from exactly the fits named in NO_SPLINE', () => {
  expect(referenceFits.filter((r) => r.profile === undefined).map((r) => `${r.data} ${r.method}`)).toEqual(NO_SPLINE);
  for (const r of referenceFits) expect(r.profile_exact, `${r.data} ${r.method}`).toBeDefined();
});

describe.each(referenceFits.map((r) => [`${r.data} ${r.method} ${r.formula}`, r] as const))('profile intervals: %s', (_, ref) => {
  const fit = fitLmm(ref.formula, readCsv(fixturePath(ref.data)).data, { reml: ref.method === 'REML' });
  const rows = fixefInference(fit, 'profile');

  it('are the roots of lme4\'s own profile (its ML deviance with the coefficient held)', () => {
    for (const r of rows) {
      expect(Math.abs(r.lower - ref.profile_exact.lower[r.name]) / r.se, `${r.name} lower`).toBeLessThan(PROFILE_IN_SE);
      expect(Math.abs(r.upper - ref.profile_exact.upper[r.name]) / r.se, `${r.name} upper`).toBeLessThan(PROFILE_IN_SE);
    }
  });

  it.runIf(ref.profile !== undefined)('agree with lme4\'s confint(method = "profile") wherever its spline holds (not across a singular kink)', () => {
    const spline = ref.profile!;
    for (const r of rows) {
      for (const side of ['lower', 'upper'] as const) {
        const splineError = Math.abs(spline[side][r.name] - ref.profile_exact[side][r.name]) / r.se;
        if (splineError < 1e-4) expect(Math.abs(r[side] - spline[side][r.name]) / r.se, `${r.name} ${side}`).toBeLessThan(PROFILE_IN_SE);
      }
    }
  });
});
