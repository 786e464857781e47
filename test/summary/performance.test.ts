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

  // The MCSEs of the other measures, as rsimsum computes them (Gasparini 2018, R/performance.R), from the
  // sample variances (divisor n - 1) of the squared SEs and of the squared errors.
  const sampleVariance = (v: number[]): number => { const m = v.reduce((a, b) => a + b, 0) / v.length; return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1); };

  it('gives the MCSE of relative bias, model SE and its relative error (Table 6, as rsimsum computes them)', () => {
    const seSquares = ses.map((s) => s * s); // 0.25, 1, 1, 2.25: mean 1.125, sample variance 0.6875
    expect(sampleVariance(seSquares)).toBeCloseTo(0.6875, 14);
    const modelSe = Math.sqrt(1.125);
    expect(p.relBiasMcse).toBeCloseTo(p.biasMcse / 2, 14);
    expect(p.modelSeMcse).toBeCloseTo(Math.sqrt(0.6875 / (4 * 4 * modelSe ** 2)), 14);
    expect(p.modelSeMcse).toBeCloseTo(0.19543, 5);
    expect(p.modelSeRelErrorMcse).toBeCloseTo((modelSe / p.empSe) * Math.sqrt(0.6875 / (4 * 4 * modelSe ** 4) + 1 / (2 * 3)), 14);
  });

  it("gives RMSE's MCSE from MSE's by the delta method, and power (intervals excluding 0) with its MCSE", () => {
    // Squared errors 1, 0, 1, 4: MSE 1.5, sample variance 3, MCSE of MSE sqrt(3 / 4).
    expect(p.rmseMcse).toBeCloseTo(Math.sqrt(3 / 4) / (2 * Math.sqrt(1.5)), 14);
    // [t - 1.5, t + 1.5] excludes 0 for t = 2, 3, 4, not for t = 1.
    expect(p.power).toBe(0.75);
    expect(p.powerMcse).toBeCloseTo(Math.sqrt((0.75 * 0.25) / 4), 14);
  });

  it('gives bias-eliminated coverage once the intervals are fed again: the share holding the mean estimate', () => {
    // Estimates 1, 2, 3, 7 of a truth of 2 (mean 3.25), intervals of +/- 1.5 and, for the last, +/- 5.
    const again = new PerformanceAccumulator(2);
    const given: [number, number, number][] = [[1, -0.5, 2.5], [2, 0.5, 3.5], [3, 1.5, 4.5], [7, 2, 12]];
    for (const [t, lower, upper] of given) again.add(t, 1, lower, upper, true, false);
    again.add(NaN, NaN, NaN, NaN, true, false); // no estimate: counted in neither pass
    expect(again.result().beCoverage).toBeNaN(); // not yet fed again
    for (const [t, lower, upper] of given) again.addCentred(t, lower, upper);
    again.addCentred(NaN, NaN, NaN);
    const r = again.result();
    // Coverage of 2: [-0.5, 2.5], [0.5, 3.5], [1.5, 4.5], [2, 12] all hold it. Of 3.25: all but the first.
    expect(r.coverage).toBe(1);
    expect(r.beCoverage).toBe(0.75);
    expect(r.beCoverageMcse).toBeCloseTo(Math.sqrt((0.75 * 0.25) / 4), 14);
    // Widths 3, 3, 3, 10: mean 4.75, sample variance 12.25 (deviations -1.75 x 3 and 5.25), MCSE sqrt(12.25 / 4) = 1.75.
    expect(r.ciWidth).toBe(4.75);
    expect(r.ciWidthMcse).toBeCloseTo(1.75, 14);
  });

  it('gives the mean interval width without a truth, of the intervals with both ends only, and none without two', () => {
    const unknown = new PerformanceAccumulator(NaN);
    unknown.add(1, 0.4, 0.2, 1.8, true, false);
    unknown.add(0.5, 0.4, -0.3, 1.3, true, false);
    unknown.add(0.7, 0.4, NaN, NaN, true, false);
    unknown.add(NaN, NaN, -1, 1, true, false); // no estimate: its interval does not count
    expect(unknown.result().ciWidth).toBeCloseTo(1.6, 15);
    expect(unknown.result().ciWidthMcse).toBe(0);
    const one = new PerformanceAccumulator(1);
    one.add(1, 0.5, 0, 2, true, false);
    expect(one.result().ciWidth).toBe(2);
    expect(one.result().ciWidthMcse).toBeNaN();
    const none = new PerformanceAccumulator(1);
    none.add(1, 0.5, NaN, NaN, true, false);
    expect(none.result().ciWidth).toBeNaN();
  });

  it('counts an interval with an end at 0 as holding 0, as it counts an end at the truth as covering it', () => {
    const edge = new PerformanceAccumulator(1);
    edge.add(1, 0.5, 0, 2, true, false);
    edge.add(1, 0.5, 0, 1, true, false);
    edge.add(1, 0.5, 0.5, 1, true, false);
    expect(edge.result().power).toBeCloseTo(1 / 3, 15);
    expect(edge.result().coverage).toBe(1);
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
    expect(r.rmseMcse).toBeNaN();
    expect(r.relBiasMcse).toBeNaN();
    expect(r.power).toBeNaN();
  });

  it('gives power without a truth, from the intervals alone', () => {
    const unknown = new PerformanceAccumulator(NaN);
    unknown.add(1, 0.4, 0.2, 1.8, true, false);
    unknown.add(0.5, 0.4, -0.3, 1.3, true, false);
    const r = unknown.result();
    expect(r.power).toBe(0.5);
    expect(r.powerMcse).toBeCloseTo(Math.sqrt(0.25 / 2), 15);
    expect(r.coverage).toBeNaN();
  });

  it('leaves an MCSE undefined where its spread needs two values, and relative bias where the truth is 0', () => {
    const one = new PerformanceAccumulator(0);
    one.add(0.3, 0.2, -0.1, 0.7, true, false);
    const r = one.result();
    expect(r.bias).toBeCloseTo(0.3, 15);
    expect(r.relBias).toBeNaN();
    expect(r.relBiasMcse).toBeNaN();
    expect(r.modelSe).toBeCloseTo(0.2, 15);
    expect(r.modelSeMcse).toBeNaN();
    expect(r.rmse).toBeCloseTo(0.3, 15);
    expect(r.rmseMcse).toBeNaN();
  });
});
