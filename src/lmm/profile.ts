/**
 * Profile-likelihood intervals for the fixed effects, as lme4's confint(method = "profile"): the model is
 * refitted by ML (lme4's devfun2 does refitML), and for a value b of coefficient j the ML deviance is
 * minimised over theta with beta_j = b held fixed; zeta(b) = sign(b - beta_j) sqrt(dev(b) - dev(ML)), and the
 * interval is {b : |zeta(b)| <= z_(1 - alpha/2)}. lme4 reads the bounds off a spline through profile
 * points; here each bound is the root of zeta(b) = -+z itself (lme4's spline is off by up to 0.36 SE on
 * singular fits, where the profile has a kink as theta leaves 0: test/fixtures/lme4 records both).
 *
 * Holding beta_j = b is the model without column j and with response y - b x_j, whose sufficient statistics
 * follow from the full model's without a pass over the rows:
 *   c_i - b B_i[, j],  X'y - b X'x_j (without row j),  y'y - 2 b x_j'y + b^2 x_j'x_j.
 */
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { ProfiledCriterion } from './criterion.ts';
import { inverseFromCholesky } from './dense.ts';
import { minimizeBounded } from './optimize.ts';
import type { SufficientStats } from './sufficientStats.ts';
import type { ThetaLayout } from './theta.ts';
import { thetaSearch } from './thetaSearch.ts';

/** The sufficient statistics of the model with beta_j held at b (column j dropped, offset b x_j). */
export function holdCoefficient(stats: SufficientStats, j: number, b: number): SufficientStats {
  const { n, p, q, m, A, B, c, XtX, Xty, yty } = stats;
  const keep = Array.from({ length: p }, (_, l) => l).filter((l) => l !== j);
  const pr = p - 1;
  const Br = new Float64Array(m * q * pr);
  const cr = new Float64Array(m * q);
  for (let i = 0; i < m; i++) for (let r = 0; r < q; r++) {
    const row = i * q * p + r * p;
    keep.forEach((l, k) => { Br[i * q * pr + r * pr + k] = B[row + l]; });
    cr[i * q + r] = c[i * q + r] - b * B[row + j];
  }
  const XtXr = new Float64Array(pr * pr);
  const Xtyr = new Float64Array(pr);
  keep.forEach((l, k) => {
    keep.forEach((l2, k2) => { XtXr[k * pr + k2] = XtX[l * p + l2]; });
    Xtyr[k] = Xty[l] - b * XtX[l * p + j];
  });
  return { n, p: pr, q, m, A, B: Br, c: cr, XtX: XtXr, Xty: Xtyr, yty: yty - 2 * b * Xty[j] + b * b * XtX[j * p + j] };
}

/**
 * The ML optimum of a model: its deviance, theta, fixed effects and their standard errors. The descent
 * starts from `start` and from lme4's start, keeping the lower deviance (a profile over few groups can have
 * more than one local optimum in theta).
 */
function mlOptimum(stats: SufficientStats, layout: ThetaLayout, start: ArrayLike<number>): { deviance: number; theta: Float64Array; beta: Float64Array; se: Float64Array } {
  const criterion = new ProfiledCriterion(stats, layout, false);
  const options = thetaSearch(layout);
  const descents = [start, layout.start].map((s) => minimizeBounded((t, g) => criterion.evaluate(t, g), s, layout.lower, options));
  const result = descents[0].f <= descents[1].f ? descents[0] : descents[1];
  const deviance = criterion.evaluate(result.x);
  const p = stats.p;
  const sigma2 = criterion.r2 / criterion.nu;
  const inverse = inverseFromCholesky(criterion.sxxFactor, p, new Float64Array(p * p));
  const se = Float64Array.from({ length: p }, (_, j) => Math.sqrt(sigma2 * inverse[j * p + j]));
  return { deviance, theta: Float64Array.from(result.x), beta: Float64Array.from(criterion.beta), se };
}

/** A profile interval of one coefficient, and the signed root deviance at 0 (a likelihood-ratio z). */
export interface ProfileInterval { readonly lower: number; readonly upper: number; readonly zetaAtZero: number }

/** Options of {@link profileIntervals}. */
export interface ProfileOptions {
  /** Confidence level. Default 0.95. */
  readonly level?: number;
  /**
   * gamma when the statistics are those of the response y - X gamma (responseOffset.ts): the intervals
   * are then of beta = beta* + gamma, and zetaAtZero is at beta_j = 0. Default none.
   */
  readonly offset?: ArrayLike<number>;
}

/** Profile intervals of every fixed effect (see the file's comment). */
export function profileIntervals(stats: SufficientStats, layout: ThetaLayout, theta: ArrayLike<number>, options: ProfileOptions = {}): ProfileInterval[] {
  const level = options.level ?? 0.95;
  const ml = mlOptimum(stats, layout, theta);
  const z = normalQuantile(1 - (1 - level) / 2, 0, 1);
  const out: ProfileInterval[] = [];
  for (let j = 0; j < stats.p; j++) {
    const estimate = ml.beta[j];
    const shift = options.offset?.[j] ?? 0;
    const zeta = (b: number): number => {
      const held = mlOptimum(holdCoefficient(stats, j, b), layout, ml.theta);
      return Math.sign(b - estimate) * Math.sqrt(Math.max(0, held.deviance - ml.deviance));
    };
    const bound = (side: 1 | -1): number => solveZeta(zeta, estimate, side * z, side * ml.se[j]) + shift;
    out.push({ lower: bound(-1), upper: bound(1), zetaAtZero: zeta(-shift) });
  }
  return out;
}

/**
 * The b on the side of `estimate` given by the sign of `step` (a standard error) where zeta(b) = target:
 * bracket by steps of |target| standard errors, then the Illinois variant of regula falsi until zeta is
 * within 1e-10 of the target.
 */
function solveZeta(zeta: (b: number) => number, estimate: number, target: number, step: number): number {
  const f = (b: number): number => zeta(b) - target;
  let a = estimate;
  let fa = -target;
  let b = estimate + Math.abs(target) * step;
  let fb = f(b);
  for (let grow = 0; fa * fb > 0 && grow < 50; grow++) {
    a = b;
    fa = fb;
    b = a + Math.abs(target) * step;
    fb = f(b);
  }
  if (fa * fb > 0) return NaN;
  let side = 0;
  let c = b;
  for (let iteration = 0; iteration < 200; iteration++) {
    c = (fa * b - fb * a) / (fa - fb);
    const fc = f(c);
    if (Math.abs(fc) < 1e-10) return c;
    if (fc * fb > 0) {
      b = c; fb = fc;
      if (side === -1) fa /= 2;
      side = -1;
    } else {
      a = c; fa = fc;
      if (side === 1) fb /= 2;
      side = 1;
    }
  }
  return c;
}
