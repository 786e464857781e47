/**
 * A random-effects column far from unit scale: the same model, so the same fit in other units. (Before
 * randomEffectScale.ts, sleepstudy with Days in units of 10^4 days or more stopped 9.7 above the criterion's
 * minimum with sigma 8.6 % too large, reported as converged; in units of 10^-8 days it did not start.)
 * Checked against the fit of sleepstudy as it is, which the fixtures check against lme4; lme4 itself warns
 * "Some predictor variables are on very different scales" and misses the minimum on these data.
 */
import { describe, expect, it } from 'vitest';
import { fitLmm } from '../../src/lmm/fit.ts';
import { randomEffectScales, SCALE_EXPONENT_LIMIT } from '../../src/lmm/randomEffectScale.ts';
import { close, sleepstudy, slopeModelStats, withColumn } from './sleepstudy.ts';

/** sleepstudy with Days in units of 1/k days. */
const rescaled = (k: number) => withColumn('Days', (v) => v * k);

describe.each([
  ['Reaction ~ Days + (Days | Subject)', true],
  ['Reaction ~ Days + (Days | Subject)', false],
  ['Reaction ~ Days + (Days || Subject)', true],
])('%s, REML %s', (formula, reml) => {
  const base = fitLmm(formula, sleepstudy, { reml });
  it.each([1e-8, 1e-4, 1e-3, 1e4, 1e8])('is the fit of the data as they are, with Days times %d', (k) => {
    const fit = fitLmm(formula, rescaled(k), { reml });
    expect(fit.converged).toBe(true);
    // REML's log|X'V^-1 X| moves by 2 log k with the column; ML's deviance does not.
    expect(Math.abs(fit.objective - (base.objective + (reml ? 2 * Math.log(k) : 0)))).toBeLessThan(1e-7);
    expect(close(fit.sigma, base.sigma, 1e-7)).toBe(true);
    expect(close(fit.fixef['(Intercept)'], base.fixef['(Intercept)'], 1e-8)).toBe(true);
    expect(close(fit.fixef.Days * k, base.fixef.Days, 1e-8)).toBe(true);
    expect(close(fit.se.Days * k, base.se.Days, 1e-6)).toBe(true);
    expect(close(fit.sd['Subject:(Intercept)'], base.sd['Subject:(Intercept)'], 1e-6)).toBe(true);
    expect(close(fit.sd['Subject:Days'] * k, base.sd['Subject:Days'], 1e-6)).toBe(true);
    for (const [key, r] of Object.entries(base.corr)) expect(Math.abs(fit.corr[key] - r), key).toBeLessThan(1e-6);
    // theta in the new units: the slope's row of Lambda divided by k. lme4's singular rule (a diagonal theta
    // below 1e-4) is in the data's units, so a slope in units of 10^4 days and more is "singular".
    fit.theta.forEach((t, j) => {
      const slopeRow = fit.layout.rows[j] === 1;
      expect(Math.abs(t * (slopeRow ? k : 1) - base.theta[j])).toBeLessThan(1e-5 * Math.max(1, Math.abs(base.theta[j])));
    });
    const diagonal = base.theta.map((t, j) => (fit.layout.rows[j] === 1 ? t / k : t)).filter((_, j) => fit.layout.rows[j] === fit.layout.cols[j]);
    expect(fit.singular).toBe(diagonal.some((t) => t < 1e-4));
    const df = fit.satterthwaite();
    for (const [name, value] of Object.entries(base.satterthwaite())) expect(close(df[name], value, 1e-4), name).toBe(true);
    const residuals = fit.residuals();
    base.residuals().forEach((r, i) => expect(Math.abs(residuals[i] - r)).toBeLessThan(1e-4));
    const modes = fit.ranef().values;
    const names = fit.ranef().names;
    base.ranef().values.forEach((b, i) => {
      const perDay = names[i % names.length] === 'Days' ? k : 1;
      expect(Math.abs(modes[i] * perDay - b)).toBeLessThan(1e-4 * Math.max(1, Math.abs(b)));
    });
  });

  it('gives the profile interval of the slope in the new units', () => {
    const k = 1e-6;
    const fit = fitLmm(formula, rescaled(k), { reml });
    const intervals = base.profile();
    const scaled = fit.profile();
    expect(close(scaled.Days.lower * k, intervals.Days.lower, 1e-6)).toBe(true);
    expect(close(scaled.Days.upper * k, intervals.Days.upper, 1e-6)).toBe(true);
    expect(scaled.Days.zetaAtZero).toBeCloseTo(intervals.Days.zetaAtZero, 5);
    expect(scaled['(Intercept)'].lower).toBeCloseTo(intervals['(Intercept)'].lower, 5);
  });
});

describe('randomEffectScales', () => {
  const scales = (data: typeof sleepstudy) => randomEffectScales(slopeModelStats(data).stats);

  it(`leaves columns within 2^±${SCALE_EXPONENT_LIMIT} of unit scale as they are, and scales the others by powers of 2 to about 1`, () => {
    expect(scales(sleepstudy)).toBeNull(); // Days: root mean square 5.3
    const d = scales(rescaled(1e-6))!;
    expect(Array.from(d)).toEqual([1, 2 ** 18]); // 5.3e-6 x 2^18 = 1.4
    expect(Array.from(scales(rescaled(1e4))!)).toEqual([1, 2 ** -16]); // 5.3e4 x 2^-16 = 0.8
  });
});
