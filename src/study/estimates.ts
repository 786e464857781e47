/**
 * Estimator results -> tidy rows, one per parameter (and interval method). A mixed-model fit lists its
 * fixed effects (with standard errors and an interval per method asked for: Wald by default), random-effect
 * SDs (`sd:group:term`), correlations (`cor:group:term1:term2`) and `sigma`, without the user naming them.
 */
import type { Dataset } from '../data/dataset.ts';
import { showValue, UserError } from '../errors.ts';
import { parseFormula } from '../formula/terms.ts';
import { fitLmm, type LmmFit } from '../lmm/fit.ts';
import { groupingFactor } from '../lmm/modelFrame.ts';
import { checkIntervalMethod, fixefIntervals, type IntervalMethod } from '../lmm/intervals.ts';
import type { Design, Estimate, Estimator, EstimatorResult, LmmEstimate } from './define.ts';

/** One estimate of one parameter by one estimator in one replicate, with its fit's flags. */
export interface EstimateRow {
  readonly parameter: string;
  readonly estimate: number;
  readonly se: number;
  readonly ciLower: number;
  readonly ciUpper: number;
  /** How the interval was made (`wald`, `satterthwaite`, ...), or '' */
  readonly ciMethod: string;
  readonly converged: boolean;
  readonly singular: boolean;
  /** The error that stopped the estimator, or '' */
  readonly error: string;
}

function isFit(result: EstimatorResult): result is LmmFit {
  return typeof (result as LmmFit).fixef === 'object' && typeof (result as LmmFit).theta === 'object' && 'objective' in result;
}

function isLmmEstimate(result: EstimatorResult): result is LmmEstimate {
  return typeof result === 'object' && result !== null && 'fit' in result && 'intervals' in result;
}

/** The rows of a mixed-model fit: its fixed effects once per interval method, at the given level. */
export function fitRows(fit: LmmFit, level: number, intervals: readonly IntervalMethod[] = ['wald']): EstimateRow[] {
  const flags = { converged: fit.converged, singular: fit.singular, error: '' };
  const rows: EstimateRow[] = [];
  for (const method of intervals) {
    for (const r of fixefIntervals(fit, method, level)) {
      rows.push({ parameter: r.name, estimate: r.estimate, se: r.se, ciLower: r.lower, ciUpper: r.upper, ciMethod: method, ...flags });
    }
  }
  const plain = (parameter: string, estimate: number): EstimateRow => ({ parameter, estimate, se: NaN, ciLower: NaN, ciUpper: NaN, ciMethod: '', ...flags });
  for (const [key, sd] of Object.entries(fit.sd)) rows.push(plain(`sd:${key}`, sd));
  for (const [key, r] of Object.entries(fit.corr)) rows.push(plain(`cor:${key}`, r));
  rows.push(plain('sigma', fit.sigma));
  return rows;
}

/** A number, or nothing where a field is optional: a string or null from a hand-written estimator is not. */
function checkNumber(value: unknown, field: string, parameter: string, optional: boolean): void {
  if (typeof value === 'number' || (optional && value === undefined)) return;
  throw new Error(`the estimator returned ${field} ${showValue(value)} for '${parameter}', not a number`);
}

/**
 * Checks a hand-written estimator's estimates: names, each (parameter, interval method) once (a second
 * would count as another replicate in the summary), numbers where numbers belong, and an SE and interval
 * that can be one (a negative SE, limits in the wrong order or one limit alone would count silently as a
 * wrong SE or an interval that covers nothing, or would not count).
 */
function checkEstimates(list: readonly Estimate[]): void {
  const named = new Set<string>();
  for (const e of list) {
    if (typeof e !== 'object' || e === null || typeof e.parameter !== 'string' || e.parameter === '') {
      throw new Error(`the estimator returned ${JSON.stringify(e)} where an estimate ({ parameter, estimate }) belongs`);
    }
    const key = `${e.parameter}\u0000${e.ciMethod ?? ''}`;
    if (named.has(key)) throw new Error(`the estimator returned '${e.parameter}'${e.ciMethod ? ` with ciMethod '${e.ciMethod}'` : ''} twice`);
    named.add(key);
    checkNumber(e.estimate, 'estimate', e.parameter, false);
    checkNumber(e.se, 'se', e.parameter, true);
    checkNumber(e.ciLower, 'ciLower', e.parameter, true);
    checkNumber(e.ciUpper, 'ciUpper', e.parameter, true);
    if (e.se !== undefined && e.se < 0) throw new Error(`the estimator returned se ${e.se} for '${e.parameter}', below 0`);
    if ((e.ciLower === undefined) !== (e.ciUpper === undefined)) {
      throw new Error(`the estimator returned ${e.ciLower === undefined ? 'ciUpper' : 'ciLower'} without ${e.ciLower === undefined ? 'ciLower' : 'ciUpper'} for '${e.parameter}' (NaN for a limit there is none of)`);
    }
    if (e.ciLower !== undefined && e.ciUpper !== undefined && e.ciLower > e.ciUpper) {
      throw new Error(`the estimator returned ciLower ${e.ciLower} above ciUpper ${e.ciUpper} for '${e.parameter}'`);
    }
  }
}

/**
 * Any estimator result as rows. A hand-written estimator's result that is not one (a string where a number
 * belongs, no result at all) throws, so that the replicate records it as the estimator's error.
 */
export function estimateRows(result: EstimatorResult, level: number): EstimateRow[] {
  if (typeof result !== 'object' || result === null) {
    throw new Error(`the estimator returned ${showValue(result)}, not estimates (a fit, a list of estimates or { parameter: estimate })`);
  }
  if (isFit(result)) return fitRows(result, level);
  if (isLmmEstimate(result)) return fitRows(result.fit, level, result.intervals);
  const list: readonly Estimate[] = Array.isArray(result)
    ? result
    : Object.entries(result as Record<string, number>).map(([parameter, estimate]) => ({ parameter, estimate }));
  checkEstimates(list);
  return list.map((e) => ({
    parameter: e.parameter,
    estimate: e.estimate,
    se: e.se ?? NaN,
    ciLower: e.ciLower ?? NaN,
    ciUpper: e.ciUpper ?? NaN,
    ciMethod: e.ciMethod ?? '',
    converged: true,
    singular: false,
    error: '',
  }));
}

/** The row that records an estimator's failure in a replicate. */
export function errorRow(message: string): EstimateRow {
  return { parameter: '', estimate: NaN, se: NaN, ciLower: NaN, ciUpper: NaN, ciMethod: '', converged: false, singular: false, error: message };
}

/** Options of {@link lmm}. */
export interface LmmEstimatorOptions {
  /** REML (default) or ML (`false`). */
  readonly reml?: boolean;
  /**
   * Interval methods of the fixed effects, each a row (and a `ci_method`) of its own: `wald` (default),
   * `satterthwaite` (t intervals with lmerTest's df; computed only when asked for).
   */
  readonly intervals?: readonly IntervalMethod[];
}

/**
 * An estimator that fits an lme4 formula to each dataset:
 * `estimators: { ri: lmm('response ~ X + (1 | group)', { intervals: ['wald', 'satterthwaite'] }) }`.
 */
export function lmm(formula: string, options: LmmEstimatorOptions = {}): Estimator<Design> {
  const reml = options.reml ?? true;
  const intervals = (options.intervals ?? ['wald']).map((m) => checkIntervalMethod(m, `lmm('${formula}'): option 'intervals'`));
  if (intervals.length === 0) throw new UserError(`lmm('${formula}'): option 'intervals' names no method`);
  const twice = intervals.find((m, k) => intervals.indexOf(m) !== k);
  if (twice) throw new UserError(`lmm('${formula}'): option 'intervals' names '${twice}' twice`);
  groupingFactor(parseFormula(formula)); // a malformed formula is refused when the study loads, not in every replicate
  const estimator = (data: Dataset): LmmEstimate => ({ fit: fitLmm(formula, data, { reml }), intervals });
  readOnlyEstimators.add(estimator);
  return Object.assign(estimator, { formula, reml });
}

/** The estimators known to leave their dataset as it was: those of {@link lmm} (fitLmm only reads it). */
const readOnlyEstimators = new WeakSet<object>();

/** Whether an estimator is known to leave its dataset as it was, so that the next may analyse the same one. */
export function readsOnly(estimator: object): boolean {
  return readOnlyEstimators.has(estimator);
}
