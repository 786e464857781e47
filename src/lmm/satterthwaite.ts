/**
 * Satterthwaite's denominator degrees of freedom for the fixed effects, as lmerTest computes them
 * (Kuznetsova, Brockhoff & Christensen 2017, J. Stat. Software 82(13)). With varpar = (theta, sigma) and the
 * deviance with sigma held fixed,
 *   d(theta, sigma) = sum log|L_i|^2 (+ log|S_XX|, REML) + r2(theta) / sigma^2 + nu log(2 pi sigma^2),
 * A = 2 H^-1 (H its Hessian at the optimum, inverted on its eigenvalues above 1e-8, as lmerTest does), and
 * for a coefficient j with variance v_j = [sigma^2 S_XX^-1]_jj and gradient g_j = dv_j / d varpar,
 *   df_j = 2 v_j^2 / (g_j' A g_j).
 * The Hessian: its theta-theta block by central differences of the analytic gradient in theta (two
 * evaluations per theta; forward differences were 1.2 % off lmerTest's df for a theta of 0.0038, where the
 * step was a quarter of a percent of it: a random-fit search's (1 + Z | group) fit, 50.59 df against 49.99,
 * now 49.998; at a singular fit the steps straddle theta's bound, as lmerTest's do: the criterion is defined
 * on both sides); its other entries exactly:
 *   d2/dtheta_k dsigma = (2 / sigma^3) sum_i s_i'D_k s_i, d2/dsigma^2 = 6 r2/sigma^4 - 2 nu/sigma^2.
 * g_j: dv_j/dtheta_k from ProfiledCriterion.varianceJacobian, dv_j/dsigma = 2 v_j / sigma.
 * lmerTest differences the deviance itself (numDeriv's Richardson extrapolation from steps of a tenth of each
 * parameter). Where the deviance curves sharply within such a step its df are far off: on fixture
 * far50_curved (ML) 16.8 for the intercept, where its own computation from steps of a hundredth or a
 * thousandth gives 2.01, as this does (test/lmm/satterthwaite.test.ts).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { ProfiledCriterion } from './criterion.ts';

/** Relative step of the central differences of the gradient in theta. */
const STEP = 1e-5;

/** The Hessian of the deviance in (theta, sigma) at (theta, sigma); leaves the criterion evaluated at theta. */
export function varparHessian(criterion: ProfiledCriterion, theta: readonly number[], sigma: number): Matrix {
  const nTheta = theta.length;
  const k = nTheta + 1;
  const H = new Matrix(k, k);
  const down = new Float64Array(nTheta);
  const up = new Float64Array(nTheta);
  for (let l = 0; l < nTheta; l++) {
    const h = STEP * Math.max(1, Math.abs(theta[l]));
    const at = Float64Array.from(theta);
    at[l] = theta[l] - h;
    criterion.evaluate(at);
    criterion.gradientAtSigma(sigma, down);
    at[l] = theta[l] + h;
    criterion.evaluate(at);
    criterion.gradientAtSigma(sigma, up);
    for (let t = 0; t < nTheta; t++) H.set(t, l, (up[t] - down[t]) / (2 * h));
  }
  // Symmetrise the differenced block.
  for (let a = 0; a < nTheta; a++) for (let b = 0; b < a; b++) {
    const v = (H.get(a, b) + H.get(b, a)) / 2;
    H.set(a, b, v);
    H.set(b, a, v);
  }
  criterion.evaluate(theta);
  const gradient = new Float64Array(nTheta);
  const residual = new Float64Array(nTheta);
  criterion.gradientAtSigma(sigma, gradient, residual);
  for (let t = 0; t < nTheta; t++) {
    const v = (2 / sigma ** 3) * residual[t];
    H.set(t, nTheta, v);
    H.set(nTheta, t, v);
  }
  H.set(nTheta, nTheta, (6 * criterion.r2) / sigma ** 4 - (2 * criterion.nu) / sigma ** 2);
  return H;
}

/** 2 H^+ (the Moore-Penrose inverse on eigenvalues above `tolerance`): the covariance of varpar. */
export function varparCovariance(H: Matrix, tolerance = 1e-8): Matrix {
  const eig = new EigenvalueDecomposition(H, { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const vectors = eig.eigenvectorMatrix;
  const k = H.rows;
  const A = new Matrix(k, k);
  values.forEach((value, e) => {
    if (!(value > tolerance)) return;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) A.set(a, b, A.get(a, b) + (2 * vectors.get(a, e) * vectors.get(b, e)) / value);
  });
  return A;
}

/** Satterthwaite df of each fixed effect, at the optimum (theta, sigma) with covariance `vcov` (p x p). */
export function satterthwaiteDf(criterion: ProfiledCriterion, theta: readonly number[], sigma: number, vcov: Float64Array): Float64Array {
  const p = criterion.stats.p;
  const nTheta = theta.length;
  const A = varparCovariance(varparHessian(criterion, theta, sigma));
  const jacobian = criterion.varianceJacobian(sigma);
  const df = new Float64Array(p);
  const g = new Float64Array(nTheta + 1);
  for (let j = 0; j < p; j++) {
    const v = vcov[j * p + j];
    for (let t = 0; t < nTheta; t++) g[t] = jacobian[j * nTheta + t];
    g[nTheta] = (2 * v) / sigma;
    let quadratic = 0;
    for (let a = 0; a <= nTheta; a++) for (let b = 0; b <= nTheta; b++) quadratic += g[a] * A.get(a, b) * g[b];
    df[j] = (2 * v * v) / quadratic;
  }
  return df;
}
