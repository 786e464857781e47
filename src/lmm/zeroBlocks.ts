/**
 * Random-effects covariances with whole terms at zero: points the optimiser compares with its optimum at the
 * end (optimize.ts, `candidates`; thetaSearch.ts).
 *
 * The criterion depends on theta through T T', so at a theta whose block of a term is all 0 its gradient
 * in that block is 0 too: no descent leaves such a point, and none reaches it unless it passes close. A
 * descent can then end at a local optimum while the fit without the term's random effects is lower
 * (`X * F + (1 + X | group)`, ML, 20 rows, 8 groups: a rank-one covariance at 119.911, where lme4 reached
 * theta = 0 at 119.325). One evaluation at each candidate tells.
 *
 * The candidates: every block at 0 and, where there are several blocks, each block at 0 with the others as at
 * the optimum. A theta of one element (a random intercept alone) gets none, so that the seed study's fits
 * keep their cost: on the random-fit search's datasets (8 seeds, about 2300 fits) f(0) was never below such
 * a fit's optimum, though nothing proves it cannot be.
 */
import type { ThetaLayout } from './theta.ts';

/** The candidates at `theta` (see the file's comment); none for a theta of one element. */
export function zeroBlocks(layout: ThetaLayout, theta: ArrayLike<number>): Float64Array[] {
  const k = layout.rows.length;
  if (k < 2) return [];
  const out = [new Float64Array(k)];
  if (layout.blocks.length > 1) {
    for (const { offset, size } of layout.blocks) {
      const zeroed = Float64Array.from(theta);
      for (let e = 0; e < k; e++) if (layout.cols[e] >= offset && layout.cols[e] < offset + size) zeroed[e] = 0;
      out.push(zeroed);
    }
  }
  return out;
}
