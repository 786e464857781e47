/**
 * The other factors of a singular covariance: each has the same T T' (so the same criterion), its zero
 * diagonal in place, and column j carrying one principal direction of what is below it.
 */
import { describe, expect, it } from 'vitest';
import { refactorSingular } from '../../src/lmm/refactorSingular.ts';
import { relativeCovariance, thetaLayout } from '../../src/lmm/theta.ts';

const sameCovariance = (layout: ReturnType<typeof thetaLayout>, a: ArrayLike<number>, b: ArrayLike<number>): void => {
  const ca = relativeCovariance(layout, a);
  const cb = relativeCovariance(layout, b);
  ca.forEach((v, i) => expect(Math.abs(v - cb[i]), `element ${i}`).toBeLessThan(1e-12 * Math.max(1, Math.abs(v))));
};

describe('refactorSingular', () => {
  it('puts the whole lower column of a 2 x 2 block with T_11 = 0 under T_11, with either sign', () => {
    const layout = thetaLayout([2]); // theta = (T_11, T_21, T_22)
    const theta = [0, 0.6362, 2.7783];
    const out = refactorSingular(layout, theta, 1e-3);
    expect(out).toHaveLength(2);
    const r = Math.hypot(0.6362, 2.7783);
    expect(out.map((t) => Array.from(t))).toEqual([[0, r, 0], [0, -r, 0]].map((t) => t.map((v) => expect.closeTo(v, 12))));
    for (const t of out) sameCovariance(layout, t, theta);
  });

  it('treats a diagonal below the tolerance as 0, and leaves a block with no small diagonal alone', () => {
    const layout = thetaLayout([2]);
    const out = refactorSingular(layout, [4e-17, 0.3, 0.4], 1e-3);
    expect(out).toHaveLength(2);
    expect(out[0][0]).toBe(0);
    expect(Math.abs(out[0][1])).toBeCloseTo(0.5, 12);
    expect(refactorSingular(layout, [0.5, 0.3, 0.4], 1e-3)).toEqual([]);
    // The last diagonal has nothing below it: no refactoring (release moves it as it is).
    expect(refactorSingular(layout, [0.5, 0.3, 0], 1e-3)).toEqual([]);
  });

  it('gives, in a 3 x 3 block, one pair per principal direction of the effects below a zero diagonal', () => {
    const layout = thetaLayout([1, 3]); // a 1 x 1 block, then a 3 x 3 one
    // theta: (a), then (T_11, T_21, T_31, T_22, T_32, T_33) of the 3 x 3 block.
    const theta = [0.7, 0, 0.5, -0.2, 1.1, 0.3, 0.4];
    const out = refactorSingular(layout, theta, 1e-3);
    expect(out).toHaveLength(4);
    for (const t of out) {
      sameCovariance(layout, t, theta);
      expect(t[0]).toBe(0.7);
      expect(t[1]).toBe(0);
      expect(t[4]).toBeGreaterThanOrEqual(0);
      expect(t[6]).toBeGreaterThanOrEqual(0);
    }
    // Column j's share of the variance below is an eigenvalue of G = [[1.46, 0.23], [0.23, 0.29]] (rows
    // (0.5, 1.1) and (-0.2, 0.3, 0.4) below the zero): the same within a pair, trace and determinant across.
    const share = (t: Float64Array) => t[2] ** 2 + t[3] ** 2;
    expect(share(out[0])).toBeCloseTo(share(out[1]), 12);
    expect(share(out[2])).toBeCloseTo(share(out[3]), 12);
    expect(share(out[0]) + share(out[2])).toBeCloseTo(1.75, 12);
    expect(share(out[0]) * share(out[2])).toBeCloseTo(1.46 * 0.29 - 0.23 ** 2, 12);
  });
});
