import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.ts';
import { parseFormula } from '../../src/formula/terms.ts';
import { ProfiledCriterion } from '../../src/lmm/criterion.ts';
import { modelArrays } from '../../src/lmm/fit.ts';
import { modelFrame } from '../../src/lmm/modelFrame.ts';
import { offsetResponse } from '../../src/lmm/responseOffset.ts';
import { sufficientStats } from '../../src/lmm/sufficientStats.ts';
import { thetaLayout } from '../../src/lmm/theta.ts';
import { fixturePath, referenceFits } from '../fixtures/lme4/fixtures.ts';

/** The criterion as fitLmm builds it (of the offset response where y'y would swamp the residuals). */
function criterionFor(file: string, formula: string, reml: boolean): ProfiledCriterion {
  const parsed = parseFormula(formula);
  const arrays = modelArrays(parsed, modelFrame(parsed, readCsv(fixturePath(file)).data), file);
  const stats = sufficientStats(arrays);
  return new ProfiledCriterion(offsetResponse(arrays, stats)?.stats ?? stats, thetaLayout(arrays.randomNames.map((b) => b.length)), reml);
}

describe('profiled criterion', () => {
  it.each(referenceFits.map((r) => [`${r.data} ${r.method} ${r.formula}`, r] as const))(
    'equals lme4 at lme4\'s theta: %s', (_, ref) => {
      const criterion = criterionFor(ref.data, ref.formula, ref.method === 'REML');
      // The criterion at lme4's own theta is lme4's objective (both evaluate the same function).
      expect(Math.abs(criterion.evaluate(ref.tight.theta) - ref.tight.objective)).toBeLessThan(1e-7 * Math.abs(ref.tight.objective));
    },
  );

  const cases = [
    ['sleepstudy.csv', 'Reaction ~ Days + (Days | Subject)'],
    ['mid30.csv', 'y ~ x * f + (x || g)'],
    ['big500.csv', 'y ~ x + f + x:z + (1 + x | g)'],
    ['small3.csv', 'y ~ x * z + (1 + x + z | g)'],
  ] as const;
  it.each(cases.flatMap(([file, formula]) => [[file, formula, true], [file, formula, false]] as const))(
    'analytic gradient matches central differences: %s %s REML=%s', (file, formula, reml) => {
      const criterion = criterionFor(file, formula, reml);
      const k = criterion.layout.rows.length;
      const theta = Float64Array.from({ length: k }, (_, i) => (criterion.layout.lower[i] === 0 ? 0.4 + 0.13 * i : -0.2 + 0.05 * i));
      const gradient = new Float64Array(k);
      criterion.evaluate(theta, gradient);
      for (let i = 0; i < k; i++) {
        const h = 1e-5;
        const up = Float64Array.from(theta); up[i] += h;
        const down = Float64Array.from(theta); down[i] -= h;
        const numeric = (criterion.evaluate(up) - criterion.evaluate(down)) / (2 * h);
        expect(Math.abs(gradient[i] - numeric), `theta[${i}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(numeric)));
      }
    },
  );
});
