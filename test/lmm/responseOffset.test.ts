/**
 * A response far from 0 next to its spread: the same model, so the same fit but for the intercept.
 * (Before responseOffset.ts, sleepstudy 10^8 ms later had sigma 25.11 instead of 25.59.) The fixtures hold
 * lme4's fits of sleepstudy_1e8.csv as well; this checks every part of the fit against the fit of the
 * data as they are, to closer tolerances than lme4's own fits of the two agree.
 */
import { describe, expect, it } from 'vitest';
import { fitLmm } from '../../src/lmm/fit.ts';
import { CANCELLATION_RATIO, offsetResponse } from '../../src/lmm/responseOffset.ts';
import { close, sleepstudy, slopeModelStats, withColumn } from './sleepstudy.ts';

/** sleepstudy `offset` ms later. */
const later = (offset: number) => withColumn('Reaction', (v) => v + offset);

describe.each([
  ['Reaction ~ Days + (Days | Subject)', true],
  ['Reaction ~ Days + (Days | Subject)', false],
  ['Reaction ~ Days + (1 | Subject)', true],
])('%s, REML %s', (formula, reml) => {
  const base = fitLmm(formula, sleepstudy, { reml });
  it.each([1e4, 1e8, -3e9])('is the fit of the data as they are, 10^k later (offset %d)', (offset) => {
    const fit = fitLmm(formula, later(offset), { reml });
    expect(fit.fixef['(Intercept)'] - offset).toBeCloseTo(base.fixef['(Intercept)'], 5);
    expect(close(fit.fixef.Days, base.fixef.Days, 1e-8)).toBe(true);
    expect(close(fit.sigma, base.sigma, 1e-8)).toBe(true);
    expect(Math.abs(fit.objective - base.objective)).toBeLessThan(1e-7);
    for (const [key, sd] of Object.entries(base.sd)) expect(close(fit.sd[key], sd, 1e-7), key).toBe(true);
    for (const [name, se] of Object.entries(base.se)) expect(close(fit.se[name], se, 1e-7), name).toBe(true);
    const df = fit.satterthwaite();
    for (const [name, value] of Object.entries(base.satterthwaite())) expect(close(df[name], value, 1e-5), name).toBe(true);
    const residuals = fit.residuals();
    base.residuals().forEach((r, i) => expect(Math.abs(residuals[i] - r)).toBeLessThan(1e-6));
  });

  it('shifts the profile interval of the intercept by the offset, and no other', () => {
    const offset = 1e8;
    const fit = fitLmm(formula, later(offset), { reml });
    const shifted = fit.profile();
    const intervals = base.profile();
    expect(shifted['(Intercept)'].lower - offset).toBeCloseTo(intervals['(Intercept)'].lower, 5);
    expect(shifted['(Intercept)'].upper - offset).toBeCloseTo(intervals['(Intercept)'].upper, 5);
    expect(shifted.Days.lower).toBeCloseTo(intervals.Days.lower, 7);
    expect(shifted.Days.upper).toBeCloseTo(intervals.Days.upper, 7);
    // The signed root deviance at beta = 0: the intercept is 10^8 further from 0 now (the random intercepts
    // take up most of it, so zeta falls from -8.9 to about -23), the slope's is as before.
    expect(shifted['(Intercept)'].zetaAtZero).toBeLessThan(intervals['(Intercept)'].zetaAtZero - 5);
    expect(shifted.Days.zetaAtZero).toBeCloseTo(intervals.Days.zetaAtZero, 5);
  });
});

describe('offsetResponse', () => {
  it('leaves a response near 0 next to its spread as it is, and offsets one whose y\'y swamps its residuals', () => {
    const near = slopeModelStats(sleepstudy);
    expect(offsetResponse(near.arrays, near.stats)).toBeNull();
    const far = slopeModelStats(later(1e8));
    const offset = offsetResponse(far.arrays, far.stats)!;
    expect(offset).not.toBeNull();
    // gamma is the least-squares fit: what is left has mean 0 and is orthogonal to Days.
    const y = offset.arrays.y;
    const days = far.arrays.X[1];
    expect(Math.abs(y.reduce((s, v) => s + v, 0))).toBeLessThan(1e-4);
    expect(Math.abs(y.reduce((s, v, i) => s + v * days[i], 0))).toBeLessThan(1e-3);
    expect(offset.stats.yty / far.stats.yty).toBeLessThan(CANCELLATION_RATIO);
  });
});
