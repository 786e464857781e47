/**
 * Minimisation under lower bounds with an analytic gradient: projected BFGS (a quasi-Newton step on the
 * free variables, a backtracking Armijo search along the projected path, a first step taken whole lengthened
 * while f falls as steeply at its end). When a variable comes off its bound or is held at it, only its own
 * row and column of the inverse-Hessian estimate are reset; the curvature learnt along the others is kept.
 *
 * Checks follow, most of them because the profiled criterion is even in a diagonal theta (where the rest of
 * its column is 0): its gradient there is zero at the bound whether the bound is a minimum or not.
 * - release: a variable that ended on its bound (or a rounding error from it) is moved just inside; where
 *   that lowers the criterion, the descent starts again from there. The same is tried from the caller's
 *   `alternatives`: other points with the same f, where moving off a bound leads elsewhere
 *   (refactorSingular.ts), and an alternative is itself a start where its gradient points off a bound. A
 *   release point where f is higher is a start too where the quadratic model promises a lower f from it
 *   (a saddle on the bound). The descent starts from every such point, and the lowest end is kept;
 * - candidates: the caller's other points (zeroBlocks.ts), where the gradient vanishes too, are compared
 *   with the optimum, and the descent starts again from one that is lower;
 * - restarts: the descent starts again from the caller's other starts (faceStarts.ts), and an end that is
 *   lower replaces the optimum: optima on different faces of the bounds, or one inside and one on a face,
 *   are not joined by any path the checks above follow;
 * - curvature: where a Newton step with the Hessian (curvature.ts) promises a decrease beyond the tolerance
 *   the descent stopped at, the descent goes on from the optimum with the Hessian's inverse;
 * - snap: a variable within `boundProbe` of its bound is tried at the bound itself and kept there when the
 *   criterion is no worse, so a singular fit ends exactly on the boundary, as lme4's do;
 * - noise: an end that is not converged is, where a Newton step promises less than the criterion's rounding
 *   noise there (roundingNoise.ts).
 */

import { inverseCurvature } from './curvature.ts';
import { convergedWithinNoise } from './roundingNoise.ts';

/** f(x), writing the gradient into `g`. Returns Infinity where f is not defined. */
export type Objective = (x: Float64Array, g: Float64Array) => number;

/** Options of {@link minimizeBounded}. */
export interface MinimizeOptions {
  /** Stop when every free gradient component is below this (absolute). Default 1e-6. */
  readonly gradientTolerance?: number;
  /** Stop when an iteration lowers f by less than this relative amount twice in a row. Default 1e-15. */
  readonly relativeTolerance?: number;
  /**
   * Stop when the quasi-Newton model predicts a decrease below max(this, 1e-14 |f|): beyond it, steps
   * move in rounding noise. Default 1e-11.
   */
  readonly predictedDecrease?: number;
  /** At most this many iterations per descent. Default 500. */
  readonly maxIterations?: number;
  /** Try the bound for variables this close to it after convergence. Default 1e-2. */
  readonly boundProbe?: number;
  /**
   * Points where f is the same as at x (to rounding), from which release also tries to move variables off
   * their bounds; `onBound` is how close to its bound a variable counts as on it. Default: none.
   */
  readonly alternatives?: (x: Float64Array, onBound: number) => readonly Float64Array[];
  /**
   * Other points to compare with the optimum x at the end: where f is lower at one, the descent starts
   * again from there. Default: none.
   */
  readonly candidates?: (x: Float64Array) => readonly Float64Array[];
  /**
   * Other starts for the optimum x, each descended from; an end lower by more than rounding replaces the
   * optimum. `onBound` is as for `alternatives`. Default: none.
   */
  readonly restarts?: (x: Float64Array, onBound: number) => readonly Float64Array[];
}

/** The outcome of {@link minimizeBounded}. */
export interface MinimizeResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** Why it stopped. */
  readonly message: string;
}

/** A descent's end, with its estimate of the inverse Hessian there (k x k, row-major). */
interface Descent extends MinimizeResult {
  readonly inverseHessian: Float64Array;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

const RELEASE_STEPS = [1e-3, 1e-1];

/** Minimises f over x >= lower from x0 (see the file's comment). */
export function minimizeBounded(f: Objective, x0: ArrayLike<number>, lower: Float64Array, options: MinimizeOptions = {}): MinimizeResult {
  let best = descend(f, Float64Array.from(x0, (v, i) => Math.max(v, lower[i])), lower, options);
  let iterations = best.iterations;
  // Descends from start; keeps the end, and says so, where it is below `below`.
  const descendFrom = (start: Float64Array, below = best.f): boolean => {
    const next = descend(f, start, lower, options);
    iterations += next.iterations;
    if (!(next.f < below)) return false;
    best = next;
    return true;
  };
  // Each way out is descended from, and the lowest end kept: the lowest first point is not always the way to
  // the lowest optimum (see releases).
  const release = (): void => {
    for (let round = 0; round < 4; round++) {
      let improved = false;
      for (const start of releases(f, best, lower, options)) improved = descendFrom(start) || improved;
      if (!improved) break;
    }
  };
  release();
  // A candidate or a restart counts where it is lower by more than the criterion's rounding (at singular
  // optima, a zero covariance was often lower by 1e-11 of f, a difference no fit should move for).
  const beyondRounding = (): number => best.f - 1e-9 * Math.max(1, Math.abs(best.f));
  const g = new Float64Array(best.x.length);
  for (const candidate of options.candidates?.(Float64Array.from(best.x)) ?? []) {
    if (f(candidate, g) < beyondRounding() && descendFrom(candidate)) release();
  }
  for (const start of options.restarts?.(Float64Array.from(best.x), RELEASE_STEPS[0]) ?? []) {
    if (descendFrom(start, beyondRounding())) release();
  }
  // Where a Newton step with the Hessian (curvature.ts) promises a decrease beyond the tolerance the descent
  // stopped at, the descent goes on from the optimum with the Hessian's inverse. A lower end is kept, and a
  // converged optimum stays converged: the descent can end in rounding noise, where its line search makes no
  // progress (three random effects, 1000 rows: 2e-9 below the optimum, where it had converged).
  const inverse = inverseCurvature(f, best.x, lower, Math.max(options.predictedDecrease ?? 1e-11, 1e-14 * Math.abs(best.f)));
  if (inverse) {
    const next = descend(f, Float64Array.from(best.x), lower, options, inverse);
    iterations += next.iterations;
    if (next.f < best.f) best = next.converged || !best.converged ? next : { ...next, converged: true, message: best.message };
  }
  const snapped = snap(f, best, lower, options.boundProbe ?? 1e-2);
  if (snapped) {
    const next = descend(f, snapped, lower, options);
    iterations += next.iterations;
    if (next.f <= best.f) best = next;
  }
  if (!best.converged && convergedWithinNoise(f, best.x, lower)) {
    return { x: best.x, f: best.f, converged: true, iterations, message: `converged within the criterion's rounding noise (${best.message})` };
  }
  return { x: best.x, f: best.f, converged: best.converged, iterations, message: best.message };
}

/**
 * The points to descend again from, off an optimum with variables on their bounds; empty when there are
 * none. "On" its bound means closer to it than the first release step: a descent that crosses the
 * criterion's minimum on its way to the bound can stop a rounding error away from it (3.9e-17 on a
 * seed-study replicate), where the even criterion's gradient is as zero as on the bound itself.
 * - For each variable on its bound, at the optimum and at each of its alternatives: the release step that
 *   lowers f most below the optimum's, if one does. The lowest of all these points is not always the way to
 *   the lowest optimum (three correlated random effects, 40 rows: it led to an optimum 1.9e-2 above lme4's
 *   best, which the descent from the optimum's own release point reached).
 * - For each variable on its bound at the optimum where no release step lowers f: its first release point,
 *   if a step from there promises to (promisesBelow: three random effects, 40 rows, the slopes' block of T
 *   at 0, 6.2e-2 above lme4's best optimum).
 * - Each alternative where a variable on its bound has a gradient pointing inside: the descent leaves the
 *   bound from there at the length its line search finds, where every release step may be too long (an
 *   optimum with a slope's diagonal at 4.8e-5, where one of 1e-3 raised f: X about 50, 3000 rows; mixsim
 *   stopped 5.1e-5 above lme4's best optimum, and now ends 9.5e-5 below it).
 */
function releases(f: Objective, at: Descent, lower: Float64Array, options: MinimizeOptions): Float64Array[] {
  const gtol = options.gradientTolerance ?? 1e-6;
  const g = new Float64Array(at.x.length);
  const starts: Float64Array[] = [];
  const bases = [at.x, ...(options.alternatives?.(at.x, RELEASE_STEPS[0]) ?? [])];
  bases.forEach((base, b) => {
    for (let j = 0; j < base.length; j++) {
      if (!(base[j] - lower[j] < RELEASE_STEPS[0])) continue;
      let best: Float64Array | null = null;
      let fBest = at.f;
      let saddle: Float64Array | null = null;
      for (const step of RELEASE_STEPS) {
        const x = Float64Array.from(base);
        x[j] = lower[j] + step;
        const fx = f(x, g);
        if (fx < fBest) { best = x; fBest = fx; }
        if (b === 0 && step === RELEASE_STEPS[0] && promisesBelow(x, fx, g, j, lower, at.inverseHessian, at.f)) saddle = x;
      }
      if (best) starts.push(best);
      else if (saddle) starts.push(saddle);
    }
    if (b > 0 && Number.isFinite(f(base, g)) && base.some((v, j) => v <= lower[j] && g[j] < -gtol)) starts.push(base);
  });
  return starts;
}

/**
 * Whether, from x (variable j of the optimum moved just off its bound, f = fx there, gradient g), a
 * quasi-Newton step over the other free variables, with the optimum's inverse-Hessian estimate H, promises
 * f below `target` (the optimum's). Where no variable alone lowers f off the bound, the optimum can still be a
 * saddle: f rises along variable j and along the others, and falls along a combination (a whole covariance
 * block at 0, where the criterion depends on T T'). Then the step from x gains more than moving j cost:
 * x - H g falls below the optimum, to second order, exactly when the Hessian is not positive definite on j
 * and the free variables together (the Schur complement of the free block at j is negative).
 */
function promisesBelow(x: Float64Array, fx: number, g: Float64Array, j: number, lower: Float64Array, H: Float64Array, target: number): boolean {
  const k = x.length;
  const other = (i: number): boolean => i !== j && !(x[i] <= lower[i] && g[i] > 0);
  let gain = 0;
  for (let i = 0; i < k; i++) {
    if (!other(i)) continue;
    for (let l = 0; l < k; l++) if (other(l)) gain += g[i] * H[i * k + l] * g[l];
  }
  return fx - 0.5 * gain < target;
}

/** The optimum with its near-bound variables on their bounds, where f is no worse; or null. */
function snap(f: Objective, at: MinimizeResult, lower: Float64Array, probe: number): Float64Array | null {
  const x = Float64Array.from(at.x);
  const g = new Float64Array(x.length);
  let fx = at.f;
  let moved = false;
  for (let j = 0; j < x.length; j++) {
    if (!(x[j] > lower[j] && x[j] - lower[j] < probe)) continue;
    const keep = x[j];
    x[j] = lower[j];
    const fb = f(x, g);
    if (fb <= fx) { fx = fb; moved = true; } else x[j] = keep;
  }
  return moved ? x : null;
}

/** A descent from x; from the inverse-Hessian estimate `initialH` (k x k) where given, else from the identity. */
function descend(f: Objective, x: Float64Array, lower: Float64Array, options: MinimizeOptions, initialH?: Float64Array): Descent {
  const gtol = options.gradientTolerance ?? 1e-6;
  const rtol = options.relativeTolerance ?? 1e-15;
  const maxIterations = options.maxIterations ?? 500;
  const predictedTolerance = options.predictedDecrease ?? 1e-11;
  const k = x.length;
  const g = new Float64Array(k);
  const gNew = new Float64Array(k);
  const xNew = new Float64Array(k);
  const d = new Float64Array(k);
  const s = new Float64Array(k);
  const y = new Float64Array(k);
  const Hy = new Float64Array(k);
  const H = new Float64Array(k * k);
  const free = new Uint8Array(k);
  let fx = f(x, g);
  if (!Number.isFinite(fx)) return { x, f: fx, converged: false, iterations: 0, message: 'criterion not finite at the start', inverseHessian: H };
  let fresh = true;
  let stalls = 0;
  const resetH = (): void => { H.fill(0); for (let i = 0; i < k; i++) H[i * k + i] = 1; fresh = true; };
  resetH();
  if (initialH) {
    H.set(initialH);
    fresh = false;
    for (let i = 0; i < k; i++) free[i] = !(x[i] <= lower[i] && g[i] > 0) ? 1 : 0;
  }

  for (let iter = 1; iter <= maxIterations; iter++) {
    let pg = 0;
    for (let i = 0; i < k; i++) {
      const isFree = !(x[i] <= lower[i] && g[i] > 0) ? 1 : 0;
      // Resetting all of H here, as this did before, lost the curvature of a narrow valley each time a
      // diagonal theta touched its bound and left it again: on three correlated random effects whose slopes'
      // diagonals did so every few iterations, the descent crawled to its iteration limit, up to 2.2 above
      // lme4's optimum (fixture three_effects.csv; the random-fit search's `wide` family).
      if (isFree !== free[i] && !fresh) restrictH(H, k, i);
      free[i] = isFree;
      if (isFree) pg = Math.max(pg, Math.abs(g[i]));
    }
    if (pg < gtol) return { x, f: fx, converged: true, iterations: iter - 1, message: 'projected gradient below tolerance', inverseHessian: H };

    let slope = 0;
    for (let i = 0; i < k; i++) {
      let t = 0;
      if (free[i]) for (let j = 0; j < k; j++) if (free[j]) t -= H[i * k + j] * g[j];
      d[i] = t;
      slope += t * g[i];
    }
    if (!fresh && slope < 0 && -0.5 * slope < Math.max(predictedTolerance, 1e-14 * Math.abs(fx))) {
      return { x, f: fx, converged: true, iterations: iter - 1, message: 'predicted decrease below tolerance', inverseHessian: H };
    }
    if (!(slope < 0)) {
      resetH();
      slope = 0;
      for (let i = 0; i < k; i++) { d[i] = free[i] ? -g[i] : 0; slope += d[i] * g[i]; }
    }
    // A first steepest step moves the largest component by at most 1/2 (theta is of order 1).
    let alpha = fresh ? Math.min(1, 0.5 / pg) : 1;
    const firstAlpha = alpha;
    // A first step taken whole, with f still falling as steeply at its end (Wolfe's curvature condition
    // fails), is lengthened 4 times at a time while f falls. Where f curves down (s'y < 0) the update of H
    // is skipped, and a descent off a saddle crept out of it a factor 1.15 per step, to the iteration
    // limit (a fit of (X || g) with X about 50, 1.8e-2 above lme4's optimum: far50_uncorrelated.csv).
    const expand = (): void => {
      let gd = 0;
      for (let i = 0; i < k; i++) gd += gNew[i] * d[i];
      if (!(gd < 0.9 * slope)) return;
      const xTry = new Float64Array(k);
      const gTry = new Float64Array(k);
      for (let more = 0; more < 20; more++) {
        const longer = 4 * alpha;
        let clipped = false;
        for (let i = 0; i < k; i++) {
          xTry[i] = x[i] + longer * d[i];
          if (xTry[i] < lower[i]) { xTry[i] = lower[i]; clipped = true; }
        }
        const fTry = f(xTry, gTry);
        if (!(fTry < fNew)) return;
        alpha = longer;
        fNew = fTry;
        xNew.set(xTry);
        gNew.set(gTry);
        for (let i = 0; i < k; i++) s[i] = xNew[i] - x[i];
        if (clipped) return;
        gd = 0;
        for (let i = 0; i < k; i++) gd += gNew[i] * d[i];
        if (!(gd < 0.9 * slope)) return;
      }
    };
    let fNew = Infinity;
    let accepted = false;
    // The least f a quadratic through f(x), its slope and the first trial point promises along the ray.
    let modelDecrease = Infinity;
    for (let tries = 0; tries < 60; tries++) {
      let sg = 0;
      let moved = false;
      for (let i = 0; i < k; i++) {
        xNew[i] = Math.max(lower[i], x[i] + alpha * d[i]);
        s[i] = xNew[i] - x[i];
        if (s[i] !== 0) moved = true;
        sg += s[i] * g[i];
      }
      if (!moved) break;
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * sg) { accepted = true; break; }
      if (tries === 0 && fNew - fx - sg > 0) modelDecrease = (sg * sg) / (4 * (fNew - fx - sg));
      // Safeguarded quadratic interpolation along the ray.
      const quad = Number.isFinite(fNew) ? (-sg * alpha) / (2 * (fNew - fx - sg)) : 0.1 * alpha;
      alpha = Math.min(0.5 * alpha, Math.max(0.1 * alpha, quad));
    }
    if (accepted && alpha === firstAlpha) expand();
    if (!accepted) {
      if (!fresh) { resetH(); continue; }
      // Converged also where the least f of a quadratic along the ray is within f's tolerance, or below
      // what the criterion's rounding hides (1e-12 of it): no step along -g lowered f, from a whole one
      // down to 1e-15 of one. An absolute gradient tolerance misjudges a theta whose curvature is far from 1
      // (a fit to X on 0..10 stopped here with a gradient of 1.03e-3, 4e-10 from lme4's optimum, and was
      // called not converged; three fits of the random-fit search stopped with gradients of 1.6e-3 to
      // 4.9e-3 and promised decreases of 1.8e-10 to 5.6e-10, at criteria of 1736 to 5270, each within 3e-8
      // of lme4's best). The later rule of roundingNoise.ts does not make this one redundant: without it,
      // 6000 fits of the random-fit search (20 seeds, both families) end at the same criteria, 115 are called
      // converged within the noise instead, and one is left not converged though it is at lme4's best
      // optimum to 1e-12 (wide seed 22, d147: two terms, a singular fit).
      const converged = pg < 1e3 * gtol || modelDecrease < Math.max(predictedTolerance, 1e-12 * Math.abs(fx));
      return { x, f: fx, converged, iterations: iter, message: 'line search made no progress', inverseHessian: H };
    }
    // The change of gradient along the free variables only: H's rows of held variables stay cleared.
    for (let i = 0; i < k; i++) y[i] = free[i] ? gNew[i] - g[i] : 0;
    const decrease = fx - fNew;
    x.set(xNew);
    g.set(gNew);
    fx = fNew;
    stalls = decrease <= rtol * Math.abs(fx) ? stalls + 1 : 0;
    if (stalls >= 2) return { x, f: fx, converged: true, iterations: iter, message: 'relative decrease below tolerance', inverseHessian: H };
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (fresh) { const scale = sy / dot(y, y); for (let i = 0; i < k * k; i++) H[i] *= scale; }
      bfgsUpdate(H, s, y, sy, Hy);
      fresh = false;
    }
  }
  return { x, f: fx, converged: false, iterations: maxIterations, message: 'iteration limit reached', inverseHessian: H };
}

/**
 * Variable i enters or leaves the free set: its row and column of H are cleared and its diagonal set to
 * the mean of the others' (the curvature met so far), so the rest of H, the curvature along the variables
 * that stay free, is kept.
 */
function restrictH(H: Float64Array, k: number, i: number): void {
  let sum = 0;
  let count = 0;
  for (let j = 0; j < k; j++) if (j !== i && H[j * k + j] > 0) { sum += H[j * k + j]; count++; }
  for (let j = 0; j < k; j++) { H[i * k + j] = 0; H[j * k + i] = 0; }
  H[i * k + i] = count > 0 ? sum / count : 1;
}

/** H <- (I - rho s y') H (I - rho y s') + rho s s', rho = 1 / s'y. */
function bfgsUpdate(H: Float64Array, s: Float64Array, y: Float64Array, sy: number, Hy: Float64Array): void {
  const k = s.length;
  const rho = 1 / sy;
  for (let i = 0; i < k; i++) { let t = 0; for (let j = 0; j < k; j++) t += H[i * k + j] * y[j]; Hy[i] = t; }
  const yHy = dot(y, Hy);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    H[i * k + j] += -rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
  }
}
