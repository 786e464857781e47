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

/** Inference for one fixed effect. */
export interface FixefInference {
  readonly name: string;
  readonly estimate: number;
  readonly se: number;
  /** Denominator df (Infinity for `wald` and `profile`). */
  readonly df: number;
  readonly t: number;
  /** Two-sided p value of estimate = 0 (for `wald` and `satterthwaite`, computed when read). */
  readonly p: number;
  readonly lower: number;
  readonly upper: number;
  readonly method: IntervalMethod;
}

/** Checks an interval method's name; the message names the option and value. */
export function checkIntervalMethod(method: string, option = 'intervals'): IntervalMethod {
  if (!(INTERVAL_METHODS as readonly string[]).includes(method)) {
    throw new UserError(`${option}: unknown interval method '${method}' (methods: ${INTERVAL_METHODS.join(', ')})`);
  }
  return method as IntervalMethod;
}

/** t statistics, p values and `level` intervals of every fixed effect by `method`. */
export function fixefInference(fit: LmmFit, method: IntervalMethod, level = 0.95): FixefInference[] {
  if (method === 'profile') {
    const profile = fit.profile(level);
    return mapArray(fit.fixefNames, (name) => {
      const { lower, upper, zetaAtZero } = profile[name];
      const estimate = fit.fixef[name];
      const se = fit.se[name];
      return { name, estimate, se, df: Infinity, t: estimate / se, p: 2 * normalCdf(-Math.abs(zetaAtZero), 0, 1), lower, upper, method };
    });
  }
  const df = method === 'satterthwaite' ? fit.satterthwaite() : undefined;
  return mapArray(fit.fixefNames, (name) => {
    const estimate = fit.fixef[name];
    const se = fit.se[name];
    const t = estimate / se;
    const nu = df ? df[name] : Infinity;
    const finite = Number.isFinite(nu) && nu > 0;
    const quantile = finite ? tQuantile(1 - (1 - level) / 2, nu) : normalQuantile(1 - (1 - level) / 2, 0, 1);
    return {
      name, estimate, se, df: nu, t,
      // When read: a study reads only the intervals, and its workers then never compile the t CDF (about
      // 20 ms less per worker in a 500-replicate run of the seed study).
      get p() { return 2 * (finite ? tCdf(-Math.abs(t), nu) : normalCdf(-Math.abs(t), 0, 1)); },
      lower: estimate - quantile * se, upper: estimate + quantile * se, method,
    };
  });
}
