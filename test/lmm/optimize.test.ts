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
  // The descent stops on f's decrease (1e-11 and less), not on x: f = (x^2 - a^2)^2 below 1e-12 puts x within
  // 1e-6 / (2a) of a, which is what these tests can ask.
  it('leaves a maximum on the bound for the minimum inside', () => {
    const result = minimizeBounded(doubleWell(0.5), [0], lower);
    expect(Math.abs(result.x[0] - 0.5)).toBeLessThan(1e-6);
    expect(result.f).toBeLessThan(1e-12);
  });

  // A descent that crosses the minimum on its way to the bound can stop a rounding error away from it:
  // 3.9e-17 on a seed-study replicate, where the fit then ended singular, 3.8 above lme4's optimum.
  it('leaves a maximum a rounding error from the bound for the minimum inside', () => {
    for (const start of [1e-17, 4e-12, 1e-5]) {
      const result = minimizeBounded(doubleWell(0.07), [start], lower);
      expect(Math.abs(result.x[0] - 0.07), `from ${start}`).toBeLessThan(1e-6 / 0.14);
      expect(result.f, `from ${start}`).toBeLessThan(1e-12);
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
