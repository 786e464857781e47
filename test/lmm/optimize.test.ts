import { describe, expect, it } from 'vitest';
import { minimizeBounded, type Objective } from '../../src/lmm/optimize.ts';

/** An even double well, as the profiled criterion is in a diagonal theta: a maximum at 0, minima at +-a. */
const doubleWell = (a: number): Objective => (x, g) => {
  const d = x[0] * x[0] - a * a;
  g[0] = 4 * x[0] * d;
  return d * d;
};

/** An even function whose minimum is at 0 (a singular fit). */
const bowl: Objective = (x, g) => {
  g[0] = 2 * x[0] + 4 * x[0] ** 3;
  return x[0] * x[0] + x[0] ** 4;
};

const lower = Float64Array.of(0);

describe('minimizeBounded at a bound where the gradient vanishes', () => {
  // The descent stops where the projected gradient is below 1e-6, or the decrease it predicts below 1e-11.
  // For f = (x^2 - a^2)^2 near a, with f' = 4x (x^2 - a^2), either puts f below max(1e-11, (1e-6 / 4a)^2)
  // (10 % spared for x just below a), and so x within sqrt(f) / 2a of a: what these tests can ask.
  const fWithin = (a: number): number => 1.1 * Math.max(1e-11, (1e-6 / (4 * a)) ** 2);
  const xWithin = (a: number): number => Math.sqrt(fWithin(a)) / (2 * a);

  it('leaves a maximum on the bound for the minimum inside', () => {
    const result = minimizeBounded(doubleWell(0.5), [0], lower);
    expect(Math.abs(result.x[0] - 0.5)).toBeLessThan(xWithin(0.5));
    expect(result.f).toBeLessThan(fWithin(0.5));
  });

  // A descent that crosses the minimum on its way to the bound can stop a rounding error away from it:
  // 3.9e-17 on a seed-study replicate, where the fit then ended singular, 3.8 above lme4's optimum.
  it('leaves a maximum a rounding error from the bound for the minimum inside', () => {
    for (const start of [1e-17, 4e-12, 1e-5]) {
      const result = minimizeBounded(doubleWell(0.07), [start], lower);
      expect(Math.abs(result.x[0] - 0.07), `from ${start}`).toBeLessThan(xWithin(0.07));
      expect(result.f, `from ${start}`).toBeLessThan(fWithin(0.07));
    }
  });

  it('ends exactly on the bound when the minimum is there', () => {
    for (const start of [0, 1e-17, 1e-3, 1]) expect(minimizeBounded(bowl, [start], lower).x[0], `from ${start}`).toBe(0);
  });

  it('keeps a minimum just inside the bound', () => {
    const a = 5e-4;
    const result = minimizeBounded((x, g) => { g[0] = 2 * (x[0] - a); return (x[0] - a) ** 2; }, [a], lower);
    expect(result.x[0]).toBe(a);
  });
});

describe('minimizeBounded off a saddle', () => {
  // f = 100 (x - 1)^2 - y^2 + y^4, y >= 0: a saddle at (1, 0), minima at (1, 1/sqrt 2). Near y = 0, f curves
  // down in y, so BFGS skips its update there, and its H, scaled by x's curvature 200, stepped y up a factor
  // 1.01 per step: from y = 1e-3 the descent stopped at the iteration limit with y = 0.14 (a fit of
  // (X || g) with X about 50 did the same, 1.8e-2 above lme4's optimum). A first step taken whole with f
  // still falling as steeply at its end is now lengthened.
  const saddle: Objective = (x, g) => {
    g[0] = 200 * (x[0] - 1);
    g[1] = -2 * x[1] + 4 * x[1] ** 3;
    return 100 * (x[0] - 1) ** 2 - x[1] ** 2 + x[1] ** 4;
  };
  it.each([[0, 1e-3], [3, 1e-6], [-2, 0.01]])('reaches the minimum from (%d, %d) in a few steps', (x0, y0) => {
    const result = minimizeBounded(saddle, [x0, y0], Float64Array.of(-Infinity, 0));
    expect(result.converged).toBe(true);
    expect(result.iterations).toBeLessThan(50);
    // Stopped on a gradient below 1e-6 or a predicted decrease below 1e-11, with curvatures 200 and 4.
    expect(Math.abs(result.x[0] - 1)).toBeLessThan(1e-6);
    expect(Math.abs(result.x[1] - Math.SQRT1_2)).toBeLessThan(1e-5);
    expect(result.f).toBeLessThan(-0.25 + 1e-10);
  });
});

describe('minimizeBounded from every way off the bounds', () => {
  // f = -2u^2 + u^4 - v^2/2 + v^4/32 + 10 u^2 v^2, u, v >= 0: a maximum at (0, 0), where the gradient
  // vanishes; minima at (1, 0), f = -1, and (0, 2 sqrt 2), f = -2. Released along u, f falls faster at first,
  // but into the shallower minimum, from which no release of v lowers f. Descending only from the lowest
  // point one release step away ended there (three correlated random effects, 40 rows: 1.9e-2 above lme4's
  // best optimum); every release point is now descended from, and the lowest end kept.
  const twoWells: Objective = (x, g) => {
    const [u, v] = x;
    g[0] = -4 * u + 4 * u ** 3 + 20 * u * v * v;
    g[1] = -v + v ** 3 / 8 + 20 * u * u * v;
    return -2 * u * u + u ** 4 - (v * v) / 2 + v ** 4 / 32 + 10 * u * u * v * v;
  };
  it('reaches the deeper minimum, not the one the steepest release leads to', () => {
    const result = minimizeBounded(twoWells, [0, 0], Float64Array.of(0, 0));
    expect(result.x[0]).toBe(0);
    expect(Math.abs(result.x[1] - 2 * Math.SQRT2)).toBeLessThan(1e-5);
    expect(result.f).toBeLessThan(-2 + 1e-10);
  });

  // f = (v^2 - 1)^2 + 1e4 u^2 + u v, u >= 0: at (0, 1) the gradient in u is +1, so the descent holds u on
  // its bound there; at the alternative (0, -1), with the same f, it is -1, and the minimum is at u = 5e-5,
  // f = -2.5e-5. Each release step (1e-3, 0.1) raises f from both points: the descent must start from the
  // alternative itself (X about 50, 3000 rows: a slope's diagonal of 4.8e-5 at lme4's optimum, which mixsim
  // missed by 5.1e-5).
  const M = 1e4;
  const tilted: Objective = (x, g) => {
    const [u, v] = x;
    g[0] = 2 * M * u + v;
    g[1] = 4 * v * (v * v - 1) + u;
    return (v * v - 1) ** 2 + M * u * u + u * v;
  };
  const flip = (x: Float64Array, onBound: number): Float64Array[] => (x[0] < onBound ? [Float64Array.of(0, -x[1])] : []);
  it('starts from an alternative whose gradient points off the bound', () => {
    const held = minimizeBounded(tilted, [0, 1], Float64Array.of(0, -Infinity));
    expect(held.x[0]).toBe(0);
    expect(Math.abs(held.f)).toBeLessThan(1e-11);
    const result = minimizeBounded(tilted, [0, 1], Float64Array.of(0, -Infinity), { alternatives: flip });
    // The minimum: u = -v / 2M with v^2 = 1 + 1 / 8M, so u = 5.0000003e-5 and f = -2.5000002e-5. The descent
    // stops with f within about 1e-11 of it, so u within sqrt(2e-11 / 2M) = 3.2e-8 (f curves 2M in u).
    expect(Math.abs(result.x[0] - 5e-5)).toBeLessThan(5e-8);
    expect(result.f).toBeLessThan(-2.5e-5 + 1e-11);
    expect(result.f).toBeGreaterThan(-2.5e-5 - 1e-9);
  });
});

describe('minimizeBounded off a saddle on the bound', () => {
  // f = a^2 - 4ab + b^2 + (a^2 + b^2)^2, a >= 0: at (0, 0) the gradient is 0 and f rises along a alone and
  // along b alone, but falls along a = b, to minima at +-(1/2, 1/2), f = -1/4; as the criterion does at a
  // covariance block of 0, where it depends on T T' (three random effects, 40 rows: 6.2e-2 above lme4's
  // best optimum). From a just off its bound the gradient in b promises more than moving a cost.
  const saddle: Objective = (x, g) => {
    const [a, b] = x;
    const r2 = a * a + b * b;
    g[0] = 2 * a - 4 * b + 4 * a * r2;
    g[1] = -4 * a + 2 * b + 4 * b * r2;
    return a * a - 4 * a * b + b * b + r2 * r2;
  };
  it('leaves it along the combination that lowers f', () => {
    const result = minimizeBounded(saddle, [0, 0], Float64Array.of(0, -Infinity));
    // Curvature 2 along a = b at the minimum: f within 1e-11 puts each within about 3e-6.
    expect(Math.abs(result.x[0] - 0.5)).toBeLessThan(1e-5);
    expect(Math.abs(result.x[1] - 0.5)).toBeLessThan(1e-5);
    expect(result.f).toBeLessThan(-0.25 + 1e-10);
  });
});

describe('minimizeBounded with candidates', () => {
  // f = x^2 (x - 2)^2 + x^2 / 10, x >= 0: a local minimum at 1.947 (f = 0.390) and the global one at the
  // bound, 0, where f' = 0: a descent from 3 stops at the first. A candidate at 0 is compared at the end.
  const f: Objective = (x, g) => {
    const v = x[0];
    g[0] = 2 * v * (v - 2) ** 2 + 2 * v * v * (v - 2) + v / 5;
    return v * v * (v - 2) ** 2 + (v * v) / 10;
  };
  it('restarts from a candidate where f is lower, and only there', () => {
    const local = minimizeBounded(f, [3], Float64Array.of(0));
    expect(local.x[0]).toBeGreaterThan(1.8);
    const global = minimizeBounded(f, [3], Float64Array.of(0), { candidates: () => [Float64Array.of(0)] });
    expect(global.x[0]).toBe(0);
    expect(global.f).toBe(0);
    // A candidate above the optimum changes nothing.
    const kept = minimizeBounded(f, [3], Float64Array.of(0), { candidates: () => [Float64Array.of(3)] });
    expect(Array.from(kept.x)).toEqual(Array.from(local.x));
  });
});

describe('minimizeBounded with restarts', () => {
  // f = (a^2 - 1)^2 + (b^2 - 2)^2 + 10 a^2 b^2, a, b >= 0: a local minimum on the face b = 0 at (1, 0),
  // f = 4, and the global one on the face a = 0 at (0, sqrt 2), f = 1; each rises off its bound (curvature
  // 12 in b at the first, 36 in a at the second), so no release leads from one to the other. As the
  // criterion of `(X || group)` can be (20 rows, 4 groups: the intercept's variance alone, 1.88 above the
  // slope's alone).
  const f: Objective = (x, g) => {
    const [a, b] = x;
    g[0] = 4 * a * (a * a - 1) + 20 * a * b * b;
    g[1] = 4 * b * (b * b - 2) + 20 * a * a * b;
    return (a * a - 1) ** 2 + (b * b - 2) ** 2 + 10 * a * a * b * b;
  };
  const lower = Float64Array.of(0, 0);
  it('descends from a restart, and keeps its end where it is lower', () => {
    const local = minimizeBounded(f, [1.5, 0.2], lower);
    expect(local.x[1]).toBe(0);
    expect(Math.abs(local.f - 4)).toBeLessThan(1e-10);
    const global = minimizeBounded(f, [1.5, 0.2], lower, { restarts: () => [Float64Array.of(0, 1)] });
    expect(global.x[0]).toBe(0);
    expect(Math.abs(global.x[1] - Math.SQRT2)).toBeLessThan(1e-5);
    expect(Math.abs(global.f - 1)).toBeLessThan(1e-10);
    // A restart that leads back to a higher optimum changes nothing.
    const kept = minimizeBounded(f, [0, 1], lower, { restarts: () => [Float64Array.of(1.5, 0.2)] });
    expect(Array.from(kept.x)).toEqual(Array.from(global.x));
  });
});
