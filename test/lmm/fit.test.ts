import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.ts';
import { fitLmm } from '../../src/lmm/fit.ts';
import { fixturePath, referenceFits, TOLERANCE } from '../fixtures/lme4/fixtures.ts';

const { objective: OBJECTIVE_ABS, fixefInSe: FIXEF_IN_SE, seRel: SE_REL, sigmaRel: SIGMA_REL, sdRel: SD_REL, corrAbs: CORR_ABS } = TOLERANCE;

describe.each(referenceFits.map((r) => [`${r.data} ${r.method} ${r.formula}`, r] as const))('%s', (_, ref) => {
  const table = readCsv(fixturePath(ref.data));
  const fit = fitLmm(ref.formula, table.data, { reml: ref.method === 'REML' });
  const best = ref.tight;

  it('reaches an objective no worse than lme4', () => {
    expect(fit.objective).toBeLessThanOrEqual(Math.min(ref.lme4.objective, best.objective) + OBJECTIVE_ABS);
    expect(Math.abs(fit.objective - best.objective)).toBeLessThan(OBJECTIVE_ABS);
    expect(fit.logLik).toBeCloseTo(best.logLik, 5);
    expect(fit.method).toBe(ref.method);
    expect(fit.converged).toBe(true);
  });

  it('uses the same rows and groups', () => {
    expect(fit.n).toBe(ref.n);
    expect(fit.groups).toEqual(ref.groups);
  });

  it('agrees on fixed effects and their standard errors', () => {
    expect(Object.keys(fit.fixef)).toEqual(Object.keys(best.fixef));
    for (const [name, value] of Object.entries(best.fixef)) {
      expect(Math.abs(fit.fixef[name] - value) / best.se[name], name).toBeLessThan(FIXEF_IN_SE);
      expect(Math.abs(fit.se[name] / best.se[name] - 1), name).toBeLessThan(SE_REL);
    }
  });

  it('agrees on sigma, the random-effect SDs and correlations', () => {
    expect(Math.abs(fit.sigma / best.sigma - 1)).toBeLessThan(SIGMA_REL);
    expect(Object.keys(fit.sd).sort()).toEqual(Object.keys(best.sd).sort());
    for (const [key, value] of Object.entries(best.sd)) {
      // A zero SD (a singular fit) has no relative error: there the scale is sigma.
      expect(Math.abs(fit.sd[key] - value), key).toBeLessThan(SD_REL * Math.max(value, 1e-2 * best.sigma));
    }
    expect(Object.keys(fit.corr).sort()).toEqual(Object.keys(best.corr).sort());
    if (!best.singular) {
      for (const [key, value] of Object.entries(best.corr)) expect(Math.abs(fit.corr[key] - value), key).toBeLessThan(CORR_ABS);
    }
  });

  it('flags singularity as lme4 does', () => {
    expect(fit.singular).toBe(best.singular);
    expect(fit.theta.length).toBe(best.theta.length);
  });
});
