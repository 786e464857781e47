/**
 * Small dense linear algebra on row-major Float64Arrays, for the q x q and p x p blocks of the fitter's hot
 * path (q random effects, p fixed effects: both small). Each routine works in place or into a given output,
 * so a criterion evaluation allocates nothing.
 */

/**
 * Lower Cholesky factor of the symmetric positive definite k x k matrix `a` (its lower triangle is read),
 * written over `a` (upper triangle zeroed). Returns false when `a` is not numerically positive definite.
 */
export function choleskyInPlace(a: Float64Array, k: number, offset = 0): boolean {
  for (let j = 0; j < k; j++) {
    const rowJ = offset + j * k;
    let d = a[rowJ + j];
    for (let l = 0; l < j; l++) d -= a[rowJ + l] * a[rowJ + l];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rowJ + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      const rowI = offset + i * k;
      let s = a[rowI + j];
      for (let l = 0; l < j; l++) s -= a[rowI + l] * a[rowJ + l];
      a[rowI + j] = s / ljj;
    }
    for (let i = j + 1; i < k; i++) a[rowJ + i] = 0;
  }
  return true;
}

/** Sum of 2 log L_jj over the diagonal of a k x k lower factor: log det(L L'). */
export function logDetFromCholesky(l: Float64Array, k: number, offset = 0): number {
  let s = 0;
  for (let j = 0; j < k; j++) s += Math.log(l[offset + j * k + j]);
  return 2 * s;
}

/**
 * Solves L X = B in place for X, with L k x k lower triangular (at `lOffset` in `l`) and B k x cols
 * row-major (at `bOffset` in `b`).
 */
export function forwardSolve(
  l: Float64Array, lOffset: number, k: number, b: Float64Array, bOffset: number, cols: number,
): void {
  for (let i = 0; i < k; i++) {
    const li = lOffset + i * k;
    const lii = l[li + i];
    for (let c = 0; c < cols; c++) {
      let s = b[bOffset + i * cols + c];
      for (let j = 0; j < i; j++) s -= l[li + j] * b[bOffset + j * cols + c];
      b[bOffset + i * cols + c] = s / lii;
    }
  }
}

/** Solves L' X = B in place for X (back substitution with the transpose of a lower factor). */
export function backSolveTransposed(
  l: Float64Array, lOffset: number, k: number, b: Float64Array, bOffset: number, cols: number,
): void {
  for (let i = k - 1; i >= 0; i--) {
    const lii = l[lOffset + i * k + i];
    for (let c = 0; c < cols; c++) {
      let s = b[bOffset + i * cols + c];
      for (let j = i + 1; j < k; j++) s -= l[lOffset + j * k + i] * b[bOffset + j * cols + c];
      b[bOffset + i * cols + c] = s / lii;
    }
  }
}

/** The inverse of L L' from its lower factor L (k x k), into `out` (k x k, row-major). */
export function inverseFromCholesky(l: Float64Array, k: number, out: Float64Array): Float64Array {
  out.fill(0);
  for (let j = 0; j < k; j++) out[j * k + j] = 1;
  forwardSolve(l, 0, k, out, 0, k);
  backSolveTransposed(l, 0, k, out, 0, k);
  return out;
}

/**
 * Makes rows and columns offset..offset+size-1 of m (q x q, row-major, zero outside the block's lower
 * triangle above row offset) lower triangular with a non-negative diagonal by rotating its columns: the L of
 * M = L Q, with L L' = M M'.
 */
export function lowerFactorInPlace(m: Float64Array, q: number, offset: number, size: number): void {
  const end = offset + size;
  for (let i = offset; i < end; i++) {
    for (let j = end - 1; j > i; j--) {
      const a = m[i * q + i];
      const b = m[i * q + j];
      if (b === 0) continue;
      const h = Math.hypot(a, b);
      const cos = a / h;
      const sin = b / h;
      for (let k = i; k < end; k++) {
        const u = m[k * q + i];
        const v = m[k * q + j];
        m[k * q + i] = cos * u + sin * v;
        m[k * q + j] = cos * v - sin * u;
      }
      m[i * q + j] = 0;
    }
    if (m[i * q + i] < 0) for (let k = i; k < end; k++) m[k * q + i] = -m[k * q + i];
  }
}
