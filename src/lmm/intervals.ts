/**
 * Inference for the fixed effects of a fit: t statistics, p values and confidence intervals by a chosen
 * method: `wald` (normal quantiles, infinite df), `satterthwaite` (t quantiles with lmerTest's
 * Satterthwaite df, and lmerTest's p values) or `profile` (lme4's profile-likelihood intervals; the p value
 * of the signed root likelihood ratio at 0).
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { UserError } from '../errors.ts';
import type { LmmFit } from './fit.ts';
import { mapArray } from '../arrays.ts';

/** How a confidence interval of a fixed effect is made. */
export type IntervalMethod = 'wald' | 'satterthwaite' | 'profile';

/** The interval methods there are. */
export const INTERVAL_METHODS: readonly IntervalMethod[] = ['wald', 'satterthwaite', 'profile'];

/** The confidence interval of one fixed effect. */
export interface FixefInterval {
  readonly name: string;
  readonly estimate: number;
  readonly se: number;
  /** Denominator df (Infinity for `wald` and `profile`). */
  readonly df: number;
  readonly lower: number;
  readonly upper: number;
  readonly method: IntervalMethod;
}

/** Inference for one fixed effect: its interval, and the test of estimate = 0. */
export interface FixefInference extends FixefInterval {
  readonly t: number;
  /** Two-sided p value of estimate = 0. */
  readonly p: number;
}

/** Checks an interval method's name; the message names the option and value. */
export function checkIntervalMethod(method: string, option = 'intervals'): IntervalMethod {
  if (!(INTERVAL_METHODS as readonly string[]).includes(method)) {
    throw new UserError(`${option}: unknown interval method '${method}' (methods: ${INTERVAL_METHODS.join(', ')})`);
  }
  return method as IntervalMethod;
}

/** Whether a statistic with these df is t distributed (finite, positive df); otherwise it is taken as normal. */
const hasTDistribution = (df: number): boolean => Number.isFinite(df) && df > 0;

/**
 * `level` intervals of every fixed effect by `method`, without tests: what a study records. (A study's
 * workers then never compile the t distribution's CDF: 250 seed replicates in a fresh thread take about
 * 20 ms less.)
 */
export function fixefIntervals(fit: LmmFit, method: IntervalMethod, level = 0.95): FixefInterval[] {
  // A profile's intervals come with the statistic of its test.
  if (method === 'profile') return fixefInference(fit, method, level);
  const df = method === 'satterthwaite' ? fit.satterthwaite() : undefined;
  return mapArray(fit.fixefNames, (name) => {
    const estimate = fit.fixef[name];
    const se = fit.se[name];
    const nu = df ? df[name] : Infinity;
    const quantile = hasTDistribution(nu) ? tQuantile(1 - (1 - level) / 2, nu) : normalQuantile(1 - (1 - level) / 2, 0, 1);
    return { name, estimate, se, df: nu, lower: estimate - quantile * se, upper: estimate + quantile * se, method };
  });
}

/** t statistics, p values and `level` intervals of every fixed effect by `method`. */
export function fixefInference(fit: LmmFit, method: IntervalMethod, level = 0.95): FixefInference[] {
  if (method === 'profile') {
    const profile = fit.profile(level);
    return mapArray(fit.fixefNames, (name) => {
      const { lower, upper, zetaAtZero } = profile[name];
      const estimate = fit.fixef[name];
      const se = fit.se[name];
      return { name, estimate, se, df: Infinity, lower, upper, method, t: estimate / se, p: 2 * normalCdf(-Math.abs(zetaAtZero), 0, 1) };
    });
  }
  return mapArray(fixefIntervals(fit, method, level), (interval) => {
    const t = interval.estimate / interval.se;
    const nu = interval.df;
    const p = 2 * (hasTDistribution(nu) ? tCdf(-Math.abs(t), nu) : normalCdf(-Math.abs(t), 0, 1));
    return { ...interval, t, p };
  });
}
