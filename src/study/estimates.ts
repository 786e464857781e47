/**
 * Estimator results -> tidy rows, one per parameter. A mixed-model fit lists its fixed effects (with
 * standard errors and Wald intervals), random-effect SDs (`sd:group:term`), correlations
 * (`cor:group:term1:term2`) and `sigma`, without the user naming them.
 */
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { Dataset } from '../data/dataset.ts';
import { fitLmm, type LmmFit } from '../lmm/fit.ts';
import type { Design, Estimate, Estimator, EstimatorResult } from './define.ts';

/** One estimate of one parameter by one estimator in one replicate, with its fit's flags. */
export interface EstimateRow {
  readonly parameter: string;
  readonly estimate: number;
  readonly se: number;
  readonly ciLower: number;
  readonly ciUpper: number;
  readonly converged: boolean;
  readonly singular: boolean;
  /** The error that stopped the estimator, or '' */
  readonly error: string;
}

function isFit(result: EstimatorResult): result is LmmFit {
  return typeof (result as LmmFit).fixef === 'object' && typeof (result as LmmFit).theta === 'object' && 'objective' in result;
}

/** The rows of a mixed-model fit, with Wald intervals at the given level. */
export function fitRows(fit: LmmFit, level: number): EstimateRow[] {
  const z = normalQuantile(1 - (1 - level) / 2, 0, 1);
  const flags = { converged: fit.converged, singular: fit.singular, error: '' };
  const rows: EstimateRow[] = fit.fixefNames.map((name) => {
    const estimate = fit.fixef[name];
    const se = fit.se[name];
    return { parameter: name, estimate, se, ciLower: estimate - z * se, ciUpper: estimate + z * se, ...flags };
  });
  const plain = (parameter: string, estimate: number): EstimateRow => ({ parameter, estimate, se: NaN, ciLower: NaN, ciUpper: NaN, ...flags });
  for (const [key, sd] of Object.entries(fit.sd)) rows.push(plain(`sd:${key}`, sd));
  for (const [key, r] of Object.entries(fit.corr)) rows.push(plain(`cor:${key}`, r));
  rows.push(plain('sigma', fit.sigma));
  return rows;
}

/** Any estimator result as rows. */
export function estimateRows(result: EstimatorResult, level: number): EstimateRow[] {
  if (isFit(result)) return fitRows(result, level);
  const list: readonly Estimate[] = Array.isArray(result)
    ? result
    : Object.entries(result as Record<string, number>).map(([parameter, estimate]) => ({ parameter, estimate }));
  return list.map((e) => ({
    parameter: e.parameter,
    estimate: e.estimate,
    se: e.se ?? NaN,
    ciLower: e.ciLower ?? NaN,
    ciUpper: e.ciUpper ?? NaN,
    converged: true,
    singular: false,
    error: '',
  }));
}

/** The row that records an estimator's failure in a replicate. */
export function errorRow(message: string): EstimateRow {
  return { parameter: '', estimate: NaN, se: NaN, ciLower: NaN, ciUpper: NaN, converged: false, singular: false, error: message };
}

/** Options of {@link lmm}. */
export interface LmmEstimatorOptions {
  /** REML (default) or ML (`false`). */
  readonly reml?: boolean;
}

/**
 * An estimator that fits an lme4 formula to each dataset:
 * `estimators: { ri: lmm('response ~ X + (1 | group)') }`.
 */
export function lmm(formula: string, options: LmmEstimatorOptions = {}): Estimator<Design> {
  const reml = options.reml ?? true;
  const estimator = (data: Dataset): LmmFit => fitLmm(formula, data, { reml });
  return Object.assign(estimator, { formula, reml });
}
