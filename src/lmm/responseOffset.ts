/**
 * The response less a least-squares fit of the fixed effects, when y'y would swamp the residuals.
 *
 * The criterion's penalised residual sum of squares is r2 = S_yy - S_Xy'beta, a difference of numbers of the
 * size of y'y. For a response far from 0 next to its spread (reaction times 10^8 ms after an epoch: y'y is
 * 10^16 times the residual sum of squares) the subtraction leaves no correct digit, and the fit is wrong:
 * sleepstudy's sigma came out 25.11 instead of 25.59. lme4 does not subtract: it sums the squared residuals.
 *
 * For any gamma, the model for y* = y - X gamma is the same model with beta* = beta - gamma: the criterion
 * is the same function of theta, and sigma, theta, the standard errors and the df are the same. With gamma
 * the least-squares fit of y on X, y*'y* is the residual sum of squares of that fit, and nothing large is
 * subtracted. The fit is done on y*, and gamma added back to beta* (and to the profile intervals).
 *
 * It costs a second pass over the rows, so it is done only where it is needed: where the least-squares
 * residual sum of squares is below 10^-4 of y'y, that is where more than four of the sixteen digits of
 * y'y would cancel.
 */
import { backSolveTransposed, choleskyInPlace, forwardSolve } from './dense.ts';
import { sufficientStats, type ModelArrays, type SufficientStats } from './sufficientStats.ts';

/** Below this ratio of the least-squares residual sum of squares to y'y, the response is offset. */
export const CANCELLATION_RATIO = 1e-4;

/** The model's arrays and statistics with the response offset, and the offset's coefficients gamma. */
export interface OffsetResponse {
  readonly arrays: ModelArrays;
  readonly stats: SufficientStats;
  readonly gamma: Float64Array;
}

/** The least-squares coefficients of y on X from X'X and X'y (X'X positive definite), or null. */
function leastSquares({ p, XtX, Xty }: SufficientStats): Float64Array | null {
  const L = Float64Array.from(XtX);
  if (!choleskyInPlace(L, p)) return null;
  const gamma = Float64Array.from(Xty);
  forwardSolve(L, 0, p, gamma, 0, 1);
  backSolveTransposed(L, 0, p, gamma, 0, 1);
  return gamma;
}

/**
 * The arrays and statistics of y* = y - X gamma (see the file's comment) where y'y would swamp the residual
 * sum of squares, or null where it would not (the fit then uses y as it is).
 */
export function offsetResponse(arrays: ModelArrays, stats: SufficientStats): OffsetResponse | null {
  const gamma = leastSquares(stats);
  if (!gamma) return null;
  let explained = 0;
  for (let j = 0; j < stats.p; j++) explained += gamma[j] * stats.Xty[j];
  if (stats.yty - explained > CANCELLATION_RATIO * stats.yty) return null;
  const y = Float64Array.from(arrays.y);
  arrays.X.forEach((x, j) => {
    const g = gamma[j];
    for (let r = 0; r < y.length; r++) y[r] -= g * x[r];
  });
  const offset = { ...arrays, y };
  return { arrays: offset, stats: sufficientStats(offset), gamma };
}
