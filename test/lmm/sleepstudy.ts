/**
 * sleepstudy for tests that refit it in other units: the data, the data with one column changed, the model's
 * arrays and cross-products, and a relative comparison.
 */
import { readCsv } from '../../src/data/csv.ts';
import type { Dataset } from '../../src/data/dataset.ts';
import { cachedFormula, modelArrays } from '../../src/lmm/fit.ts';
import { modelFrame } from '../../src/lmm/modelFrame.ts';
import { sufficientStats } from '../../src/lmm/sufficientStats.ts';
import { fixturePath } from '../fixtures/lme4/fixtures.ts';

/** lme4's sleepstudy, as the fixtures hold it. */
export const sleepstudy: Dataset = readCsv(fixturePath('sleepstudy.csv')).data;

/** sleepstudy with `column` changed value by value. */
export const withColumn = (column: 'Reaction' | 'Days', change: (v: number) => number): Dataset =>
  ({ ...sleepstudy, [column]: Float64Array.from(sleepstudy[column] as Float64Array, change) });

/** The model arrays and sufficient statistics of Reaction ~ Days + (Days | Subject) on `data`. */
export function slopeModelStats(data: Dataset) {
  const formula = cachedFormula('Reaction ~ Days + (Days | Subject)');
  const arrays = modelArrays(formula, modelFrame(formula, data), 'data');
  return { arrays, stats: sufficientStats(arrays) };
}

/** Whether a and b agree to `relative` of the larger. */
export const close = (a: number, b: number, relative: number): boolean =>
  Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b), 1e-300);
