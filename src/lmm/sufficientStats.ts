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

/** The inputs of {@link sufficientStats}: model matrices by column, group codes 0..m-1. */
export interface ModelArrays {
  /** Fixed-effects columns (p). */
  readonly X: readonly Float64Array[];
  /** Random-effects columns (q); a column shared with X is the same array. */
  readonly Z: readonly Float64Array[];
  readonly y: Float64Array;
  readonly group: Int32Array;
  /** Groups. */
  readonly m: number;
}

/**
 * Accumulates the sufficient statistics in one pass over the rows: per group, the cross-products of the
 * distinct columns among X, Z and y (each shared column once), from which A_i, B_i, c_i, X'X, X'y and y'y
 * are read off.
 */
export function sufficientStats({ X, Z, y, group, m }: ModelArrays): SufficientStats {
  const n = y.length;
  const p = X.length;
  const q = Z.length;
  const distinct: Float64Array[] = [];
  const indexOf = (c: Float64Array): number => {
    let i = distinct.indexOf(c);
    if (i < 0) { i = distinct.length; distinct.push(c); }
    return i;
  };
  // Typed arrays: one V8 map whichever tier runs this (an array from .map changes kind once optimised).
  const xi = Int32Array.from(X, indexOf);
  const zi = Int32Array.from(Z, indexOf);
  const yi = indexOf(y);
  const k = distinct.length;
  const cross = groupCrossProducts(distinct, group, m, n);

  const A = new Float64Array(m * q * q);
  const B = new Float64Array(m * q * p);
  const c = new Float64Array(m * q);
  const XtX = new Float64Array(p * p);
  const Xty = new Float64Array(p);
  let yty = 0;
  const at = (g: number, a: number, b: number): number => (a >= b ? cross[g * k * k + a * k + b] : cross[g * k * k + b * k + a]);
  for (let g = 0; g < m; g++) {
    for (let j = 0; j < q; j++) {
      for (let l = 0; l < q; l++) A[g * q * q + j * q + l] = at(g, zi[j], zi[l]);
      for (let l = 0; l < p; l++) B[g * q * p + j * p + l] = at(g, zi[j], xi[l]);
      c[g * q + j] = at(g, zi[j], yi);
    }
    for (let j = 0; j < p; j++) {
      for (let l = 0; l < p; l++) XtX[j * p + l] += at(g, xi[j], xi[l]);
      Xty[j] += at(g, xi[j], yi);
    }
    yty += at(g, yi, yi);
  }
  return { n, p, q, m, A, B, c, XtX, Xty, yty };
}

/** Per group g, the lower triangle of U_g'U_g for the columns U (m blocks of k x k). */
function groupCrossProducts(U: readonly Float64Array[], group: Int32Array, m: number, n: number): Float64Array {
  const k = U.length;
  const out = new Float64Array(m * k * k);
  if (k === 3) {
    // The commonest shape (intercept, one covariate, response) unrolled.
    const [u0, u1, u2] = U;
    for (let r = 0; r < n; r++) {
      const o = group[r] * 9;
      const a = u0[r], b = u1[r], c = u2[r];
      out[o] += a * a; out[o + 3] += b * a; out[o + 4] += b * b; out[o + 6] += c * a; out[o + 7] += c * b; out[o + 8] += c * c;
    }
    return out;
  }
  for (let r = 0; r < n; r++) {
    const o = group[r] * k * k;
    for (let a = 0; a < k; a++) {
      const ua = U[a][r];
      if (ua === 0) continue;
      for (let b = 0; b <= a; b++) out[o + a * k + b] += ua * U[b][r];
    }
  }
  return out;
}

/** A model column: the response (`y`), or a fixed-effects (`X`) or random-effects (`Z`) column by index. */
export interface ColumnIndex {
  readonly part: 'y' | 'X' | 'Z';
  readonly index: number;
}

/**
 * The first column whose sum of squares overflows (is not finite), or null. Every cross product is bounded
 * by the sums of squares of its two columns (Cauchy-Schwarz), so where these are finite, so are all the
 * statistics; a random-effects column's sums of squares are A_i's diagonals.
 */
export function overflowingColumn({ p, q, m, A, XtX, yty }: SufficientStats): ColumnIndex | null {
  if (!Number.isFinite(yty)) return { part: 'y', index: 0 };
  for (let j = 0; j < p; j++) if (!Number.isFinite(XtX[j * p + j])) return { part: 'X', index: j };
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < q; k++) if (!Number.isFinite(A[i * q * q + k * q + k])) return { part: 'Z', index: k };
  }
  return null;
}
