/**
 * Convergence within the criterion's rounding noise, the last check of a minimisation (optimize.ts).
 *
 * The profiled criterion is a sum of large terms (log-determinants, a penalised residual sum of squares), and
 * its rounding can be far above the machine's. `(1 + X | group)`, REML, 3000 rows, 5 groups, X about 50, whose
 * optimum has the random intercepts at X's mean spread 296 times sigma (theta 296, fitted centred): there
 * f = -5185 varies by 2e-6 between points a relative 1e-15 apart, 4e-10 of f. The analytic gradient stays
 * smooth (3.1e-2, along a direction of curvature 1.9e4), but no line search can see the decrease of 2.5e-8
 * that a Newton step promises: every step it tries rises or falls in the noise, and the descent stopped,
 * flagged not converged, 1.9e-6 *below* lme4's best optimum. A Newton step from there ends with the gradient
 * at 8e-6, and f no lower.
 *
 * So a descent that stopped short is converged after all where no variable on its bound could lower f by
 * leaving it and the decrease a Newton step promises (curvature.ts) is within the noise measured at the
 * point: no method can then tell a lower point from the noise.
 */
import { newtonStep } from './curvature.ts';
import type { Objective } from './optimize.ts';

/** Relative size of the moves that sample the noise: far below any change of f a step could make. */
const NUDGE = 1e-13;

/**
 * The criterion's rounding noise at x: the largest change of f, beyond its first-order change g' d, over
 * moves d of each free variable by +/- 1e-13 of its size (2 evaluations per free variable). NaN where f is
 * not finite at one of them: x is then at the edge of f's domain, and no noise is measured.
 */
export function roundingNoise(f: Objective, x: Float64Array, lower: Float64Array): number {
  const g = new Float64Array(x.length);
  const scratch = new Float64Array(x.length);
  const fx = f(x, g);
  let noise = 0;
  for (let j = 0; j < x.length; j++) {
    if (!(x[j] > lower[j])) continue;
    for (const sign of [1, -1]) {
      const d = sign * NUDGE * Math.max(1, Math.abs(x[j]));
      const moved = Float64Array.from(x);
      moved[j] += d;
      const change = Math.abs(f(moved, scratch) - fx - g[j] * d);
      if (!Number.isFinite(change)) return NaN;
      noise = Math.max(noise, change);
    }
  }
  return noise;
}

/**
 * Whether x, where a descent stopped short of its tolerances, is a minimum to within the criterion's rounding:
 * the gradient of each variable on its bound points outward or is zero, and a Newton step promises a decrease
 * no larger than the rounding noise at x.
 */
export function convergedWithinNoise(f: Objective, x: Float64Array, lower: Float64Array): boolean {
  const g = new Float64Array(x.length);
  if (!Number.isFinite(f(x, g))) return false;
  if (x.some((v, j) => v <= lower[j] && g[j] < 0)) return false;
  const step = newtonStep(f, x, lower);
  return step !== null && step.decrease <= roundingNoise(f, x, lower); // false where the noise is NaN
}
