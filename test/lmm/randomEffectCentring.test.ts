/**
 * Centring random-slope columns is an exact reparametrisation: the same criterion, the same covariance of
 * the random effects, the same Z b. Checked on sleepstudy (Days: mean 4.5, SD 2.9, so centred) and on mid30's
 * three-effect term (z on 0..2 centred, x about 0 not), both lme4 fixtures.
 */
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.ts';
import { cachedFormula, modelArrays } from '../../src/lmm/fit.ts';
import { ProfiledCriterion } from '../../src/lmm/criterion.ts';
import { modelFrame } from '../../src/lmm/modelFrame.ts';
import { centreRandomEffects, randomEffectCentring, uncentreModes, uncentreTheta } from '../../src/lmm/randomEffectCentring.ts';
import { sufficientStats } from '../../src/lmm/sufficientStats.ts';
import { relativeCovariance, templateFromTheta, thetaLayout } from '../../src/lmm/theta.ts';
import { fixturePath } from '../fixtures/lme4/fixtures.ts';
import { sleepstudy } from './sleepstudy.ts';

function model(formula: string, file: string) {
  const parsed = cachedFormula(formula);
  const arrays = modelArrays(parsed, modelFrame(parsed, file === 'sleepstudy.csv' ? sleepstudy : readCsv(fixturePath(file)).data), 'data');
  const layout = thetaLayout(arrays.randomNames.map((b) => b.length));
  return { arrays, layout, stats: sufficientStats(arrays) };
}

/** Thetas spread over the parameter space, a diagonal at 0 among them (a singular fit). */
function thetas(k: number, lower: Float64Array): Float64Array[] {
  return [0.3, 1.7, -0.8].flatMap((a, s) => [
    Float64Array.from(lower, (l, j) => (l === 0 ? a * a + 0.1 * j : a * (j - 1) * 0.4 + s * 0.1)),
    Float64Array.from(lower, (l, j) => (l === 0 ? (j === k ? 0 : 1 + 0.2 * j) : -0.3 * a)),
  ]);
}

describe.each([
  ['Reaction ~ Days + (Days | Subject)', 'sleepstudy.csv', [0, 4.5]],
  ['y ~ x + z + (1 + x + z | g)', 'mid30.csv', [0, 0, 1]],
])('%s (%s)', (formula, file, expectedCentres) => {
  const { arrays, layout, stats } = model(formula, file);
  const centring = randomEffectCentring(stats, layout, arrays.randomNames)!;
  const centred = centreRandomEffects(stats, centring);

  it('centres only the columns whose mean is farther from 0 than their SD, on the intercept', () => {
    expect(centring).not.toBeNull();
    Array.from(centring.centre).forEach((c, j) => {
      if (expectedCentres[j] === 0) {
        expect(c, `column ${j}`).toBe(0);
        expect(centring.intercept[j]).toBe(-1);
      } else {
        expect(c, `column ${j}`).toBeCloseTo(expectedCentres[j], 1);
        expect(centring.intercept[j]).toBe(0);
      }
    });
  });

  it('is the same criterion: the centred columns at theta\' as the columns as they are at the uncentred theta', () => {
    for (const reml of [true, false]) {
      const before = new ProfiledCriterion(stats, layout, reml);
      const after = new ProfiledCriterion(centred, layout, reml);
      for (const t of thetas(0, layout.lower)) {
        const f = after.evaluate(t);
        expect(Math.abs(before.evaluate(uncentreTheta(layout, t, centring)) - f)).toBeLessThan(1e-9 * Math.abs(f));
      }
    }
  });

  it('gives a lower-triangular theta with a non-negative diagonal and the covariance R T\'T\'\' R\'', () => {
    const q = layout.q;
    for (const t of thetas(0, layout.lower)) {
      const theta = uncentreTheta(layout, t, centring);
      theta.forEach((v, k) => { if (layout.lower[k] === 0) expect(v).toBeGreaterThanOrEqual(0); });
      // R T': column j of R minus c_j times the intercept's row.
      const rt = templateFromTheta(layout, t, new Float64Array(q * q));
      for (let j = 0; j < q; j++) if (centring.intercept[j] >= 0) for (let c = 0; c < q; c++) rt[centring.intercept[j] * q + c] -= centring.centre[j] * rt[j * q + c];
      const expected = new Float64Array(q * q);
      for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) for (let c = 0; c < q; c++) expected[a * q + b] += rt[a * q + c] * rt[b * q + c];
      const got = relativeCovariance(layout, theta);
      got.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected[i]))));
    }
  });

  it('gives the same Z b from the centred columns\' modes', () => {
    const q = layout.q;
    const m = arrays.m;
    const centredModes = Float64Array.from({ length: m * q }, (_, i) => Math.sin(i + 1));
    const modes = uncentreModes(Float64Array.from(centredModes), centring);
    for (let row = 0; row < arrays.y.length; row += 7) {
      const g = arrays.group[row];
      let zb = 0;
      let zcbc = 0;
      for (let j = 0; j < q; j++) {
        zb += arrays.Z[j][row] * modes[g * q + j];
        zcbc += (arrays.Z[j][row] - centring.centre[j]) * centredModes[g * q + j];
      }
      expect(Math.abs(zb - zcbc)).toBeLessThan(1e-12 * Math.max(1, Math.abs(zb)));
    }
  });
});

describe('randomEffectCentring', () => {
  it('centres nothing in a term without an intercept, nor where every column is near 0', () => {
    for (const formula of ['Reaction ~ Days + (Days || Subject)', 'Reaction ~ Days + (0 + Days | Subject)']) {
      const { arrays, layout, stats } = model(formula, 'sleepstudy.csv');
      expect(randomEffectCentring(stats, layout, arrays.randomNames), formula).toBeNull();
    }
    const { arrays, layout, stats } = model('y ~ x + (1 + x | g)', 'mid30.csv'); // x ~ N(0, 1)
    expect(randomEffectCentring(stats, layout, arrays.randomNames)).toBeNull();
  });
});
