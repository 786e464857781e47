/**
 * Other factors of a singular random-effects covariance: the ways out of a face of the boundary that
 * lme4's parametrisation makes a trap.
 *
 * In a term's block T (lower triangular, s x s), a zero diagonal T_jj leaves the covariance of the effects
 * after j to column j's entries below the diagonal and to the columns after j: it is G = M M', with M the
 * rows j+1..s-1 and columns j..s-1 of T. Many M give the same G, so the same covariance and the same
 * criterion; but raising T_jj off 0 leads elsewhere from each. From the M a descent ends at, it may only add
 * variance to effect j independent of the others (the criterion rises), while the optimum has effect j
 * perfectly correlated with a direction of the others, reachable from the face only when column j carries
 * that direction.
 *
 * Seen with random slopes of a covariate far from 0 (X about 50 +- 2): fits ended with the intercept's
 * diagonal at 0, 0.6 to 17 above the optimum, which has the slope's diagonal at 0 (a correlation of +-1);
 * lme4 finds it.
 *
 * For such a j, and each eigenvector u_e of G = sum_f lambda_f u_f u_f' with lambda_e > 0, a refactoring
 * puts +-sqrt(lambda_e) u_e in column j below the diagonal, and the other sqrt(lambda_f) u_f, rotated to
 * lower-triangular form, in the columns after j: M' M'' = G. Its T_jj is 0, and the release step of the
 * optimiser (optimize.ts) tries it off 0.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { lowerFactorInPlace } from './dense.ts';
import { templateFromTheta, thetaFromTemplate, type ThetaLayout } from './theta.ts';

/** The refactorings of one block at column j (block-relative) of the template `t`: see the file's comment. */
function refactorColumn(layout: ThetaLayout, t: Float64Array, offset: number, size: number, j: number): Float64Array[] {
  const q = layout.q;
  const k = size - 1 - j;
  const below = (i: number): number => offset + j + 1 + i;
  const g = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let c = offset + j; c < offset + size; c++) s += t[below(a) * q + c] * t[below(b) * q + c];
      g[a * k + b] = s;
    }
  }
  const trace = g.reduce((s, v, i) => (i % (k + 1) === 0 ? s + v : s), 0);
  if (!(trace > 0)) return [];
  const eigen = new EigenvalueDecomposition(new Matrix(Array.from({ length: k }, (_, a) => Array.from(g.subarray(a * k, a * k + k)))), { assumeSymmetric: true });
  const lambda = eigen.realEigenvalues.map((v) => Math.max(0, v));
  const u = lambda.map((_, e) => eigen.eigenvectorMatrix.getColumn(e));
  const out: Float64Array[] = [];
  for (let e = 0; e < k; e++) {
    if (!(lambda[e] > 1e-12 * trace)) continue;
    for (const sign of [1, -1]) {
      const next = Float64Array.from(t);
      next[(offset + j) * q + offset + j] = 0;
      // Column j: +-sqrt(lambda_e) u_e; the columns after it: the other sqrt(lambda_f) u_f (and a zero column),
      // made lower triangular.
      const others = lambda.map((_, f) => f).filter((f) => f !== e);
      for (let a = 0; a < k; a++) {
        next[below(a) * q + offset + j] = sign * Math.sqrt(lambda[e]) * u[e][a];
        for (let c = 0; c < k; c++) next[below(a) * q + offset + j + 1 + c] = c < others.length ? Math.sqrt(lambda[others[c]]) * u[others[c]][a] : 0;
      }
      lowerFactorInPlace(next, q, offset + j + 1, k);
      out.push(thetaFromTemplate(layout, next));
    }
  }
  return out;
}

/**
 * Other theta with the same covariance as `theta` (to rounding), one pair (+-) per eigenvector for each
 * diagonal element below `tolerance` that has effects after it in its block; that element is 0 in them.
 * Empty when no diagonal element is below `tolerance` or none has effects after it.
 */
export function refactorSingular(layout: ThetaLayout, theta: ArrayLike<number>, tolerance: number): Float64Array[] {
  const t = templateFromTheta(layout, theta, new Float64Array(layout.q * layout.q));
  const out: Float64Array[] = [];
  for (const { offset, size } of layout.blocks) {
    for (let j = 0; j < size - 1; j++) {
      if (t[(offset + j) * layout.q + offset + j] < tolerance) out.push(...refactorColumn(layout, t, offset, size, j));
    }
  }
  return out;
}

/** {@link refactorSingular} as the optimiser's `alternatives` (optimize.ts) for a criterion over `layout`'s theta. */
export const singularAlternatives = (layout: ThetaLayout) => (theta: Float64Array, onBound: number): Float64Array[] => refactorSingular(layout, theta, onBound);
