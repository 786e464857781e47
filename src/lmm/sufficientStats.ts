/**
 * One pass over the rows collects everything the profiled criterion needs, per group i:
 * A_i = Z_i'Z_i (q x q), B_i = Z_i'X_i (q x p), c_i = Z_i'y_i (q); and globally X'X, X'y, y'y.
 * After this pass no criterion evaluation touches the rows again.
 */

/** Per-group and global cross-products of a one-grouping-factor mixed model. */
export interface SufficientStats {
  /** Rows. */
  readonly n: number;
  /** Fixed-effects columns. */
  readonly p: number;
  /** Random effects per group. */
  readonly q: number;
  /** Groups. */
  readonly m: number;
  /** A_i = Z_i'Z_i, m blocks of q x q. */
  readonly A: Float64Array;
  /** B_i = Z_i'X_i, m blocks of q x p. */
  readonly B: Float64Array;
  /** c_i = Z_i'y_i, m blocks of q. */
  readonly c: Float64Array;
  /** X'X, p x p. */
  readonly XtX: Float64Array;
  /** X'y, p. */
  readonly Xty: Float64Array;
  /** y'y. */
  readonly yty: number;
}

/** The inputs of {@link sufficientStats}: model matrices row-major, group codes 0..m-1. */
export interface ModelArrays {
  readonly X: Float64Array;
  readonly Z: Float64Array;
  readonly y: Float64Array;
  readonly group: Int32Array;
  readonly p: number;
  readonly q: number;
  readonly m: number;
}

/** Accumulates the sufficient statistics in one pass over the rows. */
export function sufficientStats({ X, Z, y, group, p, q, m }: ModelArrays): SufficientStats {
  const n = y.length;
  const A = new Float64Array(m * q * q);
  const B = new Float64Array(m * q * p);
  const c = new Float64Array(m * q);
  const XtX = new Float64Array(p * p);
  const Xty = new Float64Array(p);
  let yty = 0;
  for (let r = 0; r < n; r++) {
    const xr = r * p;
    const zr = r * q;
    const yr = y[r];
    const g = group[r];
    const a = g * q * q;
    const b = g * q * p;
    const cc = g * q;
    for (let j = 0; j < q; j++) {
      const zj = Z[zr + j];
      if (zj === 0) continue;
      for (let l = 0; l <= j; l++) A[a + j * q + l] += zj * Z[zr + l];
      for (let l = 0; l < p; l++) B[b + j * p + l] += zj * X[xr + l];
      c[cc + j] += zj * yr;
    }
    for (let j = 0; j < p; j++) {
      const xj = X[xr + j];
      if (xj === 0) continue;
      for (let l = 0; l <= j; l++) XtX[j * p + l] += xj * X[xr + l];
      Xty[j] += xj * yr;
    }
    yty += yr * yr;
  }
  for (let g = 0; g < m; g++) mirrorLower(A, q, g * q * q);
  mirrorLower(XtX, p, 0);
  return { n, p, q, m, A, B, c, XtX, Xty, yty };
}

/** Copies the lower triangle of a k x k block onto its upper triangle. */
export function mirrorLower(a: Float64Array, k: number, offset: number): void {
  for (let j = 0; j < k; j++) for (let l = 0; l < j; l++) a[offset + l * k + j] = a[offset + j * k + l];
}
