/**
 * The profiled REML criterion (or ML deviance) of Bates et al. (2015) as a function of theta, with its
 * analytic gradient, from per-group sufficient statistics. For a theta, per group i:
 *
 *   M_i = T'A_iT + I,  L_i = chol(M_i),  R_i = L_i^-1 T'B_i,  k_i = L_i^-1 T'c_i
 *   S_XX = X'X - sum R_i'R_i,  S_Xy = X'y - sum R_i'k_i,  S_yy = y'y - sum k_i'k_i
 *   beta = S_XX^-1 S_Xy,  r2 = S_yy - S_Xy'beta
 *   REML: sum log|L_i|^2 + log|S_XX| + (n-p)(1 + log(2 pi r2/(n-p)));  ML: sum log|L_i|^2 + n(1 + log(2 pi r2/n))
 *
 * Gradient. With V = Z Lambda Lambda'Z' + I, dV/dtheta_k = Z D_k Z' where D_k = E_k T' + T E_k' and E_k is
 * the unit matrix at theta_k's place (r, c) in T. Per group, G_i = Z_i'V_i^-1 Z_i = A_i - C_i'C_i with
 * C_i = L_i^-1 T'A_i, W_i = X_i'V_i^-1 Z_i = B_i' - R_i'C_i, and s_i = Z_i'V_i^-1 (y_i - X_i beta) =
 * c_i - B_i beta - A_i b_i (b_i the conditional mode). Then, with nu = n - p (REML) or n (ML),
 *
 *   d criterion / d theta_k = 2 (H T)_{rc},   H = sum_i [G_i - W_i' S_XX^-1 W_i (REML only) - (nu/r2) s_i s_i'].
 * With sigma held fixed rather than profiled out, the weight nu/r2 of the last term becomes 1/sigma^2.
 */
import { backSolveTransposed, choleskyInPlace, forwardSolve, inverseFromCholesky, logDetFromCholesky } from './dense.ts';
import type { SufficientStats } from './sufficientStats.ts';
import { templateFromTheta, type ThetaLayout } from './theta.ts';

const LOG_2PI = Math.log(2 * Math.PI);

/** The profiled criterion of one model; `evaluate` leaves the pieces of the last theta in its fields. */
export class ProfiledCriterion {
  /** Fixed effects at the last theta evaluated. */
  readonly beta: Float64Array;
  /** Lower Cholesky factor of S_XX = X'V^-1 X at the last theta (p x p). */
  readonly sxxFactor: Float64Array;
  /** Penalised residual sum of squares at the last theta. */
  r2 = NaN;
  /** sum log|L_i|^2 at the last theta. */
  ldL2 = NaN;
  /** log|S_XX| at the last theta. */
  logDetSXX = NaN;
  /** Evaluations so far. */
  evaluations = 0;

  private readonly T: Float64Array;
  private readonly L: Float64Array;
  private readonly R: Float64Array;
  private readonly k: Float64Array;
  private readonly sxy: Float64Array;
  private readonly work: Float64Array;
  private readonly sInv: Float64Array;
  private readonly H: Float64Array;
  private readonly Hs: Float64Array;
  private readonly u: Float64Array;
  private readonly s: Float64Array;
  private readonly W: Float64Array;

  constructor(readonly stats: SufficientStats, readonly layout: ThetaLayout, readonly reml: boolean) {
    const { p, q, m } = stats;
    this.beta = new Float64Array(p);
    this.sxxFactor = new Float64Array(p * p);
    this.T = new Float64Array(q * q);
    this.L = new Float64Array(m * q * q);
    this.R = new Float64Array(m * q * p);
    this.k = new Float64Array(m * q);
    this.sxy = new Float64Array(p);
    this.work = new Float64Array(q * Math.max(q, p));
    this.sInv = new Float64Array(p * p);
    this.H = new Float64Array(q * q);
    this.Hs = new Float64Array(q * q);
    this.u = new Float64Array(q);
    this.s = new Float64Array(q);
    this.W = new Float64Array(p * q);
  }

  /** Degrees of freedom of the residual variance: n - p (REML) or n (ML). */
  get nu(): number {
    return this.reml ? this.stats.n - this.stats.p : this.stats.n;
  }

  /**
   * The criterion at theta (Infinity where it is not defined); with `gradient`, also writes its gradient.
   */
  evaluate(theta: ArrayLike<number>, gradient?: Float64Array): number {
    this.evaluations++;
    if (!this.factor(theta)) return Infinity;
    const nu = this.nu;
    if (!(this.r2 > 0)) return Infinity;
    const value = this.ldL2 + (this.reml ? this.logDetSXX : 0) + nu * (1 + LOG_2PI + Math.log(this.r2 / nu));
    if (gradient) this.gradient(gradient);
    return value;
  }

  /** Updates T, every L_i, R_i, k_i, S_XX's factor, beta and r2 for theta. False where a factor fails. */
  private factor(theta: ArrayLike<number>): boolean {
    const { p, q, m, A, B, c, XtX, Xty, yty } = this.stats;
    const { T, L, R, k, sxy, work } = this;
    const S = this.sxxFactor;
    templateFromTheta(this.layout, theta, T);
    S.set(XtX);
    sxy.set(Xty);
    let syy = yty;
    let ldL2 = 0;
    const qq = q * q;
    for (let i = 0; i < m; i++) {
      const a = i * qq;
      // work = A_i T; L_i = T' work + I (lower triangle)
      for (let r = 0; r < q; r++) for (let col = 0; col < q; col++) {
        let s = 0;
        for (let l = col; l < q; l++) s += A[a + r * q + l] * T[l * q + col];
        work[r * q + col] = s;
      }
      for (let r = 0; r < q; r++) for (let col = 0; col <= r; col++) {
        let s = r === col ? 1 : 0;
        for (let l = r; l < q; l++) s += T[l * q + r] * work[l * q + col];
        L[a + r * q + col] = s;
      }
      if (!choleskyInPlace(L, q, a)) return false;
      ldL2 += logDetFromCholesky(L, q, a);
      // R_i = L_i^-1 T'B_i, k_i = L_i^-1 T'c_i
      const rb = i * q * p;
      const kb = i * q;
      for (let r = 0; r < q; r++) {
        for (let j = 0; j < p; j++) {
          let s = 0;
          for (let l = r; l < q; l++) s += T[l * q + r] * B[rb + l * p + j];
          R[rb + r * p + j] = s;
        }
        let s = 0;
        for (let l = r; l < q; l++) s += T[l * q + r] * c[kb + l];
        k[kb + r] = s;
      }
      forwardSolve(L, a, q, R, rb, p);
      forwardSolve(L, a, q, k, kb, 1);
      for (let j = 0; j < p; j++) {
        for (let l = 0; l <= j; l++) {
          let s = 0;
          for (let r = 0; r < q; r++) s += R[rb + r * p + j] * R[rb + r * p + l];
          S[j * p + l] -= s;
        }
        let s = 0;
        for (let r = 0; r < q; r++) s += R[rb + r * p + j] * k[kb + r];
        sxy[j] -= s;
      }
      for (let r = 0; r < q; r++) syy -= k[kb + r] * k[kb + r];
    }
    if (!choleskyInPlace(S, p)) return false;
    this.ldL2 = ldL2;
    this.logDetSXX = logDetFromCholesky(S, p);
    const beta = this.beta;
    beta.set(sxy);
    forwardSolve(S, 0, p, beta, 0, 1);
    backSolveTransposed(S, 0, p, beta, 0, 1);
    let fit = 0;
    for (let j = 0; j < p; j++) fit += sxy[j] * beta[j];
    this.r2 = syy - fit;
    return true;
  }

  /** The gradient at the theta last factored (see the file's comment). */
  private gradient(out: Float64Array): void {
    this.accumulate();
    this.combine(this.nu / this.r2, out);
  }

  /**
   * The gradient in theta, at the theta last evaluated, of the deviance with sigma held fixed instead of
   * profiled out: sum log|L_i|^2 (+ log|S_XX| for REML) + r2 / sigma^2 + nu log(2 pi sigma^2). Also writes
   * sum_i s_i'D_k s_i (= -d r2 / d theta_k) into `residualPart`. For lmerTest's Satterthwaite df.
   */
  gradientAtSigma(sigma: number, out: Float64Array, residualPart?: Float64Array): void {
    this.accumulate();
    this.combine(1 / (sigma * sigma), out);
    if (residualPart) this.combine(0, residualPart, true);
  }

  /** 2 ((H0 - weight Hs) T)_{rc} for each theta; with `residualOnly`, 2 (Hs T)_{rc}. */
  private combine(weight: number, out: Float64Array, residualOnly = false): void {
    const { q } = this.stats;
    const { H, Hs, T, layout } = this;
    for (let t = 0; t < layout.rows.length; t++) {
      const r = layout.rows[t];
      const col = layout.cols[t];
      let g = 0;
      for (let l = 0; l < q; l++) g += (residualOnly ? Hs[r * q + l] : H[r * q + l] - weight * Hs[r * q + l]) * T[l * q + col];
      out[t] = 2 * g;
    }
  }

  /** work = C_i = L_i^-1 T'A_i for group i (q x q). */
  private groupC(i: number): void {
    const { q, A } = this.stats;
    const { T, L, work } = this;
    const a = i * q * q;
    for (let r = 0; r < q; r++) for (let col = 0; col < q; col++) {
      let t = 0;
      for (let l = r; l < q; l++) t += T[l * q + r] * A[a + l * q + col];
      work[r * q + col] = t;
    }
    forwardSolve(L, a, q, work, 0, q);
  }

  /** W = W_i = B_i' - R_i'C_i = X_i'V_i^-1 Z_i (p x q), from C_i in work (see groupC). */
  private groupW(i: number): void {
    const { p, q, B } = this.stats;
    const { R, work, W } = this;
    const rb = i * q * p;
    for (let j = 0; j < p; j++) for (let col = 0; col < q; col++) {
      let t = B[rb + col * p + j];
      for (let l = 0; l < q; l++) t -= R[rb + l * p + j] * work[l * q + col];
      W[j * q + col] = t;
    }
  }

  /** H0 = sum_i G_i - W_i'S_XX^-1 W_i (REML) and Hs = sum_i s_i s_i' at the theta last factored. */
  private accumulate(): void {
    const { p, q, m, A, B, c } = this.stats;
    const { T, L, R, k, beta, H, Hs, u, s, W, work, sInv } = this;
    if (this.reml) inverseFromCholesky(this.sxxFactor, p, sInv);
    H.fill(0);
    Hs.fill(0);
    const qq = q * q;
    for (let i = 0; i < m; i++) {
      const a = i * qq;
      const rb = i * q * p;
      const kb = i * q;
      this.groupC(i);
      // H += G_i = A_i - C_i'C_i
      for (let r = 0; r < q; r++) for (let col = 0; col < q; col++) {
        let t = A[a + r * q + col];
        for (let l = 0; l < q; l++) t -= work[l * q + r] * work[l * q + col];
        H[r * q + col] += t;
      }
      if (this.reml) {
        // H -= W_i' S_XX^-1 W_i
        this.groupW(i);
        for (let r = 0; r < q; r++) for (let col = 0; col <= r; col++) {
          let t = 0;
          for (let j = 0; j < p; j++) {
            let sw = 0;
            for (let l = 0; l < p; l++) sw += sInv[j * p + l] * W[l * q + col];
            t += W[j * q + r] * sw;
          }
          H[r * q + col] -= t;
          if (col !== r) H[col * q + r] -= t;
        }
      }
      // u_i = L_i^-T (k_i - R_i beta); s_i = c_i - B_i beta - A_i T u_i
      for (let r = 0; r < q; r++) {
        let t = k[kb + r];
        for (let j = 0; j < p; j++) t -= R[rb + r * p + j] * beta[j];
        u[r] = t;
      }
      backSolveTransposed(L, a, q, u, 0, 1);
      for (let r = 0; r < q; r++) {
        let bi = 0;
        for (let l = 0; l <= r; l++) bi += T[r * q + l] * u[l];
        work[r] = bi;
      }
      for (let r = 0; r < q; r++) {
        let t = c[kb + r];
        for (let j = 0; j < p; j++) t -= B[rb + r * p + j] * beta[j];
        for (let l = 0; l < q; l++) t -= A[a + r * q + l] * work[l];
        s[r] = t;
      }
      for (let r = 0; r < q; r++) for (let col = 0; col < q; col++) Hs[r * q + col] += s[r] * s[col];
    }
  }

  /**
   * d var(beta_j) / d theta_k for every coefficient j, at the theta last evaluated and the given sigma
   * (p x ntheta, row-major). With V_beta = sigma^2 S_XX^-1 and dS_XX/dtheta_k = -sum_i W_i D_k W_i',
   * d var(beta_j)/d theta_k = sigma^2 sum_i a_ij'D_k a_ij = 2 sigma^2 sum_i (a_ij)_r (T'a_ij)_c, where
   * a_ij = W_i' S_XX^-1 e_j.
   */
  varianceJacobian(sigma: number): Float64Array {
    const { p, q, m } = this.stats;
    const { T, W, sInv, layout } = this;
    const nTheta = layout.rows.length;
    inverseFromCholesky(this.sxxFactor, p, sInv);
    const out = new Float64Array(p * nTheta);
    const a = new Float64Array(q);
    const ta = new Float64Array(q);
    for (let i = 0; i < m; i++) {
      this.groupC(i);
      this.groupW(i);
      for (let j = 0; j < p; j++) {
        // a = W_i' S^-1 e_j, ta = T'a
        for (let col = 0; col < q; col++) {
          let t = 0;
          for (let l = 0; l < p; l++) t += W[l * q + col] * sInv[l * p + j];
          a[col] = t;
        }
        for (let col = 0; col < q; col++) {
          let t = 0;
          for (let l = col; l < q; l++) t += T[l * q + col] * a[l];
          ta[col] = t;
        }
        for (let t = 0; t < nTheta; t++) out[j * nTheta + t] += 2 * a[layout.rows[t]] * ta[layout.cols[t]];
      }
    }
    for (let i = 0; i < out.length; i++) out[i] *= sigma * sigma;
    return out;
  }

  /** Conditional modes b_i = T L_i^-T (k_i - R_i beta) at the theta last evaluated, m x q row-major. */
  conditionalModes(): Float64Array {
    const { p, q, m } = this.stats;
    const { T, L, R, k, beta } = this;
    const b = new Float64Array(m * q);
    const u = new Float64Array(q);
    for (let i = 0; i < m; i++) {
      for (let r = 0; r < q; r++) {
        let t = k[i * q + r];
        for (let j = 0; j < p; j++) t -= R[i * q * p + r * p + j] * beta[j];
        u[r] = t;
      }
      backSolveTransposed(L, i * q * q, q, u, 0, 1);
      for (let r = 0; r < q; r++) {
        let t = 0;
        for (let l = 0; l <= r; l++) t += T[r * q + l] * u[l];
        b[i * q + r] = t;
      }
    }
    return b;
  }
}
