/**
 * Rank of the fixed-effects model matrix from X'X: a column whose squared distance from the span of the
 * columns before it is below `tolerance` times its own squared norm is a linear combination of them.
 */

/** The index of the first column of X that depends linearly on the columns before it, or -1. */
export function firstDependentColumn(XtX: Float64Array, p: number, tolerance = 1e-10): number {
  const L = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const norm = XtX[j * p + j];
    let d = norm;
    for (let l = 0; l < j; l++) d -= L[j * p + l] * L[j * p + l];
    if (!(norm > 0) || d <= tolerance * norm) return j;
    const ljj = Math.sqrt(d);
    L[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = XtX[i * p + j];
      for (let l = 0; l < j; l++) s -= L[i * p + l] * L[j * p + l];
      L[i * p + j] = s / ljj;
    }
  }
  return -1;
}
