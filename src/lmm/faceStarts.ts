/**
 * Starts on other faces of theta's bounds, from which the optimiser descends again at the end (optimize.ts,
 * `restarts`; thetaSearch.ts): lme4's start (1 on the diagonal, 0 off it) with one diagonal element set to
 * 0, for each one the optimum did not leave at 0.
 *
 * The criterion can have optima on different faces of the bounds, or one inside and one on a face, and no
 * path the optimiser's other checks follow leads from one to the other. Found by the random-fit search
 * (randomFits.ts), each reached by lme4's BOBYQA from its start and missed by mixsim's descent:
 * - `X + (X || group)`, ML, 20 rows, 4 groups, X about 50: an optimum with the intercept's variance alone,
 *   1.88 above the one with the slope's alone;
 * - `X * F + (1 + X | group)`, REML, 20 rows, 5 groups: an optimum inside, 0.43 above a rank-one one;
 * - `X + Z + (1 + X | group) + (0 + Z | group)`, REML, 100 rows, 3 groups: a nearly rank-one first block with
 *   Z's variance, 9.1e-2 above a full first block without it.
 * From each face start the descent reached the lower optimum.
 *
 * A theta with a single diagonal element (a random intercept alone) gets none: its one face is theta = 0,
 * compared with the optimum as a candidate (zeroBlocks.ts). Each start costs a descent: on the random-fit
 * search's datasets (12 seeds, about 3400 fits), about 30 % more evaluations in its default family (one random
 * intercept and slope) and 55 % in its `wide` one (up to three random effects). A seed-study `rs` fit that is
 * not singular gets two, and takes about 2.5 times the evaluations (5 groups, slope SD 0.25: 26 on average
 * before, 65 now with the curvature check's); one that is singular gets one, and takes 1.4 times. The face
 * starts change none of the seed study's tables; with the curvature check, its replicate phase takes about
 * 20 % longer (1.27 s to 1.53 s, 2 workers).
 */
import type { ThetaLayout } from './theta.ts';

/** The face starts for an optimum at `theta` (see the file's comment); a diagonal within `onBound` of 0 is on its bound. */
export function faceStarts(layout: ThetaLayout, theta: ArrayLike<number>, onBound: number): Float64Array[] {
  const diagonals = Array.from(layout.rows.keys()).filter((k) => layout.rows[k] === layout.cols[k]);
  if (diagonals.length < 2) return [];
  return diagonals.filter((j) => !(theta[j] - layout.lower[j] < onBound)).map((j) => {
    const start = Float64Array.from(layout.start);
    start[j] = 0;
    return start;
  });
}
