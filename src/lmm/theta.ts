/**
 * lme4's parametrisation of the random-effects covariance: Lambda is block diagonal with copies of a
 * q x q lower-triangular template T, itself block diagonal with one block per random-effects term on the
 * grouping factor. theta is each block's lower triangle taken column by column, blocks in term order;
 * diagonal elements are bounded below by 0. Sigma_b = sigma^2 T T'.
 */

/** Where each element of theta sits in the template T. */
export interface ThetaLayout {
  /** Random effects per group: T is q x q. */
  readonly q: number;
  /** Row of theta[k] in T. */
  readonly rows: Int32Array;
  /** Column of theta[k] in T. */
  readonly cols: Int32Array;
  /** Lower bounds: 0 on the diagonal, -Infinity off it. */
  readonly lower: Float64Array;
  /** lme4's start: 1 on the diagonal, 0 off it. */
  readonly start: Float64Array;
  /** First column of each term's block in T, and its size. */
  readonly blocks: readonly { readonly offset: number; readonly size: number }[];
}

/** The theta layout for random-effects terms of the given sizes on one grouping factor. */
export function thetaLayout(blockSizes: readonly number[]): ThetaLayout {
  const rows: number[] = [];
  const cols: number[] = [];
  const blocks: { offset: number; size: number }[] = [];
  let offset = 0;
  for (const size of blockSizes) {
    blocks.push({ offset, size });
    for (let c = 0; c < size; c++) for (let r = c; r < size; r++) { rows.push(offset + r); cols.push(offset + c); }
    offset += size;
  }
  const diagonal = rows.map((r, k) => r === cols[k]);
  return {
    q: offset,
    rows: Int32Array.from(rows),
    cols: Int32Array.from(cols),
    lower: Float64Array.from(diagonal, (d) => (d ? 0 : -Infinity)),
    start: Float64Array.from(diagonal, (d) => (d ? 1 : 0)),
    blocks,
  };
}

/** Writes the template T(theta) (q x q, row-major, lower triangular) into `out`. */
export function templateFromTheta(layout: ThetaLayout, theta: ArrayLike<number>, out: Float64Array): Float64Array {
  out.fill(0);
  for (let k = 0; k < layout.rows.length; k++) out[layout.rows[k] * layout.q + layout.cols[k]] = theta[k];
  return out;
}

/** theta from a template T (q x q, row-major): the inverse of {@link templateFromTheta}. */
export function thetaFromTemplate(layout: ThetaLayout, t: Float64Array): Float64Array {
  return Float64Array.from(layout.rows, (r, k) => t[r * layout.q + layout.cols[k]]);
}

/** T T', the relative covariance of the random effects (Sigma_b / sigma^2), q x q row-major. */
export function relativeCovariance(layout: ThetaLayout, theta: ArrayLike<number>): Float64Array {
  const q = layout.q;
  const t = templateFromTheta(layout, theta, new Float64Array(q * q));
  const out = new Float64Array(q * q);
  for (let r = 0; r < q; r++) for (let c = 0; c < q; c++) {
    let s = 0;
    for (let l = 0; l < q; l++) s += t[r * q + l] * t[c * q + l];
    out[r * q + c] = s;
  }
  return out;
}

/** lme4's isSingular rule: some diagonal element of theta below `tolerance` (1e-4). */
export function isSingular(layout: ThetaLayout, theta: ArrayLike<number>, tolerance = 1e-4): boolean {
  for (let k = 0; k < layout.rows.length; k++) {
    if (layout.rows[k] === layout.cols[k] && theta[k] < tolerance) return true;
  }
  return false;
}
