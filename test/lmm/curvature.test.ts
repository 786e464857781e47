import { describe, expect, it } from 'vitest';
import { inverseCurvature } from '../../src/lmm/curvature.ts';
import { minimizeBounded, type Objective } from '../../src/lmm/optimize.ts';

// f = 650 (a - 1)^2 + 2 (a - 1) t - 8.5e-4 t^2 + 0.25 t^4, t >= 0: stiff in a, and in t a flat valley that
// curves down near its bound (as the criterion did in a random slope's diagonal, 300 rows, 50 groups). With a
// at its best for t, a - 1 = -t / 650, f = -c t^2 + t^4 / 4 with c = 1 / 650 + 8.5e-4: the minimum is at
// t = sqrt(2c) = 0.0691, f = -c^2 = -5.7e-6.
const flatValley: Objective = (x, g) => {
  const [a, t] = x;
  g[0] = 1300 * (a - 1) + 2 * t;
  g[1] = 2 * (a - 1) - 1.7e-3 * t + t ** 3;
  return 650 * (a - 1) ** 2 + 2 * (a - 1) * t - 8.5e-4 * t * t + 0.25 * t ** 4;
};
const lower = Float64Array.of(-Infinity, 0);
const c = 1 / 650 + 8.5e-4;
const tStar = Math.sqrt(2 * c);

describe('inverseCurvature', () => {
  it('finds the descent promised where f curves down along a flat direction', () => {
    const at = Float64Array.of(1 - 0.001 / 650, 0.001);
    const inverse = inverseCurvature(flatValley, at, lower, 1e-11);
    expect(inverse).not.toBeNull();
    // Along t, with a at its best, the curvature is -2c = -4.8e-3: the inverse is its absolute value's, 209.
    expect(Math.abs(inverse![3] - 1 / (2 * c))).toBeLessThan(1);
  });

  it('promises nothing at the minimum, or with fewer than two free variables', () => {
    const result = minimizeBounded(flatValley, [1 - tStar / 650, tStar], lower);
    expect(inverseCurvature(flatValley, result.x, lower, 1e-11)).toBeNull();
    expect(inverseCurvature(flatValley, Float64Array.of(1, 0), lower, 1e-11)).toBeNull();
  });
});

describe('minimizeBounded in a flat valley', () => {
  it('goes on to the minimum where the quasi-Newton model stopped', () => {
    const result = minimizeBounded(flatValley, [1.3, 0.001], lower);
    // (Before the check it stopped at t = 0.001, f = -2.4e-9.) Curvature 4c = 9.6e-3 along t at the
    // minimum: f within 1e-11 of it puts t within 5e-5.
    expect(Math.abs(result.x[1] - tStar)).toBeLessThan(5e-5);
    expect(result.f).toBeLessThan(-c * c + 1e-11);
  });
});
