import { describe, expect, it } from 'vitest';
import { PerformanceAccumulator } from '../../src/summary/performance.ts';

describe('PerformanceAccumulator (Morris, White & Crowther 2019, Table 6)', () => {
  // Four estimates of a truth of 2, each with an interval of +/- 1.5 and a model SE.
  const estimates = [1, 2, 3, 4];
  const ses = [0.5, 1, 1, 1.5];
  const acc = new PerformanceAccumulator(2);
  estimates.forEach((t, i) => acc.add(t, ses[i], t - 1.5, t + 1.5, i !== 3, i === 0));
  acc.addFailure();
  const p = acc.result();

  it('computes bias, empirical SE and their Monte Carlo SEs', () => {
    const empSe = Math.sqrt(((1 - 2.5) ** 2 + (2 - 2.5) ** 2 + (3 - 2.5) ** 2 + (4 - 2.5) ** 2) / 3);
    expect(p.nReps).toBe(4);
    expect(p.meanEstimate).toBeCloseTo(2.5, 14);
    expect(p.bias).toBeCloseTo(0.5, 14);
    expect(p.relBias).toBeCloseTo(0.25, 14);
    expect(p.empSe).toBeCloseTo(empSe, 14);
    expect(p.biasMcse).toBeCloseTo(empSe / 2, 14);
    expect(p.empSeMcse).toBeCloseTo(empSe / Math.sqrt(6), 14);
  });

  it('computes model SE as the root mean squared SE, RMSE and coverage with its MCSE', () => {
    const modelSe = Math.sqrt((0.25 + 1 + 1 + 2.25) / 4);
    expect(p.modelSe).toBeCloseTo(modelSe, 14);
    expect(p.modelSeRelError).toBeCloseTo(modelSe / p.empSe - 1, 14);
    expect(p.rmse).toBeCloseTo(Math.sqrt((1 + 0 + 1 + 4) / 4), 14);
    // Intervals [t - 1.5, t + 1.5] hold 2 for t = 1, 2, 3, not for t = 4.
    expect(p.coverage).toBe(0.75);
    expect(p.coverageMcse).toBeCloseTo(Math.sqrt((0.75 * 0.25) / 4), 14);
  });

  it('counts failures, non-converged and singular fits', () => {
    expect(p.nFailed).toBe(1);
    expect(p.nNonConverged).toBe(1);
    expect(p.nSingular).toBe(1);
  });

  it('leaves truth-based measures undefined when the truth is unknown', () => {
    const unknown = new PerformanceAccumulator(NaN);
    unknown.add(1, NaN, NaN, NaN, true, false);
    unknown.add(3, NaN, NaN, NaN, true, false);
    const r = unknown.result();
    expect(r.meanEstimate).toBe(2);
    expect(r.bias).toBeNaN();
    expect(r.rmse).toBeNaN();
    expect(r.coverage).toBeNaN();
    expect(r.modelSe).toBeNaN();
  });
});
