/**
 * Random-effects columns on a scale the optimiser can travel, when theirs is far from 1.
 *
 * theta is relative to sigma and to the scale of Z's columns: for sleepstudy's slope in days, theta_slope is
 * about 0.23; with Days in units of 10^6 days it is about 2.3·10^5, and the descent from lme4's start
 * (theta = 1) stopped far from it: sigma 8.6 % too large and the criterion 9.7 above its minimum, reported
 * as converged. With Days in units of 10^-8 days the criterion was not even finite at the start.
 *
 * Scaling the columns of Z by D (diagonal) is an exact reparametrisation: Z b = (Z D)(D^-1 b), and
 * Lambda = D Lambda' keeps Lambda' lower triangular, block for block, with a non-negative diagonal. The
 * criterion is the same function of theta' = D^-1 theta as of theta, so the fit is the same; only the
 * optimiser's path changes. Each d_j is a power of 2 that brings column j's root mean square into
 * [2^-1/2, 2^1/2), so scaling the cross-products and mapping theta and the conditional modes back are exact
 * in floating point.
 *
 * Where every column's root mean square is already within a factor 2^4 of 1 (the seed study's X, sleepstudy's
 * Days), nothing is scaled, and the fit is made as it always was.
 */
import type { SufficientStats } from './sufficientStats.ts';
import type { ThetaLayout } from './theta.ts';

/** The columns are scaled when one's root mean square is beyond 2^±LIMIT. */
export const SCALE_EXPONENT_LIMIT = 4;

/**
 * The factor d_j, a power of 2, for each random-effects column (from the diagonals of Z_i'Z_i), or null
 * when no column needs one (see the file's comment).
 */
export function randomEffectScales({ n, q, m, A }: SufficientStats): Float64Array | null {
  const d = new Float64Array(q);
  let needed = false;
  for (let j = 0; j < q; j++) {
    let squares = 0;
    for (let i = 0; i < m; i++) squares += A[i * q * q + j * q + j];
    const rms = Math.sqrt(squares / n);
    const exponent = rms > 0 && Number.isFinite(rms) ? Math.round(Math.log2(rms)) : 0;
    d[j] = 2 ** -exponent;
    if (Math.abs(exponent) > SCALE_EXPONENT_LIMIT) needed = true;
  }
  return needed ? d : null;
}

/** The cross-products with Z's columns scaled by d: D A_i D, D B_i, D c_i (X'X, X'y and y'y as they are). */
export function scaleRandomEffects(stats: SufficientStats, d: Float64Array): SufficientStats {
  const { p, q, m } = stats;
  const A = Float64Array.from(stats.A);
  const B = Float64Array.from(stats.B);
  const c = Float64Array.from(stats.c);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < q; j++) {
      for (let l = 0; l < q; l++) A[i * q * q + j * q + l] *= d[j] * d[l];
      for (let l = 0; l < p; l++) B[i * q * p + j * p + l] *= d[j];
      c[i * q + j] *= d[j];
    }
  }
  return { ...stats, A, B, c };
}

/** theta from the theta' of the scaled columns: Lambda = D Lambda', element by element. */
export function unscaleTheta(layout: ThetaLayout, scaled: ArrayLike<number>, d: Float64Array): Float64Array {
  return Float64Array.from({ length: layout.rows.length }, (_, k) => d[layout.rows[k]] * scaled[k]);
}

/** The theta' of the scaled columns from theta: Lambda' = D^-1 Lambda, element by element. */
export function scaleTheta(layout: ThetaLayout, theta: ArrayLike<number>, d: Float64Array): Float64Array {
  return Float64Array.from({ length: layout.rows.length }, (_, k) => theta[k] / d[layout.rows[k]]);
}

/** The conditional modes b = D b' from those of the scaled columns (m groups of q, in place). */
export function unscaleModes(modes: Float64Array, d: Float64Array): Float64Array {
  const q = d.length;
  for (let i = 0; i < modes.length; i++) modes[i] *= d[i % q];
  return modes;
}
