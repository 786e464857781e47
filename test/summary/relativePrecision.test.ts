import { describe, expect, it } from 'vitest';
import type { CompactRow } from '../../src/study/messages.ts';
import { PairedEstimates, relativePrecision } from '../../src/summary/relativePrecision.ts';
import { ConditionSummary } from '../../src/summary/tables.ts';

// Reference values from R, with rsimsum's formulas (R/performance.R: relprec and relprec_mcse, there in %):
//   a <- c(1, 2, 3, 4, 6); b <- c(1.5, 1.8, 3.3, 4.1, 5); r <- sd(a) / sd(b); rho <- cor(a, b)
//   r^2 - 1                                  0.66441745389113804
//   2 * r^2 * sqrt((1 - rho^2) / (5 - 1))    0.38539933656770253
const reference = [1, 2, 3, 4, 6];
const estimator = [1.5, 1.8, 3.3, 4.1, 5];
const sd = (v: number[]): number => { const m = v.reduce((a, b) => a + b, 0) / v.length; return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)); };

describe('relative precision (Morris, White & Crowther 2019, Table 6; rsimsum relprec)', () => {
  it("pairs estimates into their correlation, as R's cor", () => {
    const paired = new PairedEstimates();
    reference.forEach((x, i) => paired.add(x, estimator[i]));
    expect(paired.correlation()).toBeCloseTo(0.9728225072407386, 14);
    const one = new PairedEstimates();
    one.add(1, 2);
    expect(one.correlation()).toBeNaN();
  });

  it("gives the reference's variance over the estimator's, less 1, and its Monte Carlo SE", () => {
    const paired = new PairedEstimates();
    reference.forEach((x, i) => paired.add(x, estimator[i]));
    const r = relativePrecision({ referenceEmpSe: sd(reference), empSe: sd(estimator), n: 5, correlation: paired.correlation() });
    expect(r.relPrecision).toBeCloseTo(0.66441745389113804, 13);
    expect(r.relPrecisionMcse).toBeCloseTo(0.38539933656770253, 13);
  });

  it('gives the reference against itself 0 with an MCSE of 0', () => {
    const itself = new PairedEstimates();
    reference.forEach((x) => itself.add(x, x));
    expect(itself.correlation()).toBe(1);
    expect(relativePrecision({ referenceEmpSe: sd(reference), empSe: sd(reference), n: 5, correlation: itself.correlation() })).toEqual({ relPrecision: 0, relPrecisionMcse: 0 });
  });
});

describe('relative precision in a condition summary', () => {
  // Estimators `other` and `ref` (the reference, second in each replicate's rows). `ref` reports X twice (two
  // interval methods) and fails in replicate 5; `other` also reports a parameter `ref` does not.
  // R: a <- c(1, 2, 3, 4, 6, NA); b <- c(1.5, 1.8, 3.3, 4.1, 5, 7); r <- sd(a, na.rm = TRUE) / sd(b)
  //    rho <- cor(a, b, use = "na.or.complete"): r^2 - 1 = -0.13179507235041065,
  //    2 * r^2 * sqrt((1 - rho^2) / (6 - 1)) = 0.17981086955838254
  const refX = [1, 2, 3, 4, 6];
  const otherX = [1.5, 1.8, 3.3, 4.1, 5, 7];
  const row = (replicate: number, e: number, parameter: string, estimate: number, ciMethod = 'wald', error = ''): CompactRow =>
    [replicate, e, parameter, error ? null : estimate, null, null, null, ciMethod, 1, error];
  const rows: CompactRow[] = otherX.flatMap((x, r) => [
    row(r, 0, 'X', x),
    row(r, 0, 'extra', r),
    ...(r < 5 ? [row(r, 1, 'X', refX[r]), row(r, 1, 'X', refX[r], 'satterthwaite')] : [row(r, 1, '', NaN, '', 'did not converge')]),
  ]);
  const summarise = (reference: string | undefined, batches: CompactRow[][]) => {
    const summary = new ConditionSummary({ condition: 0, estimators: ['other', 'ref'], truth: { X: 2 }, reference });
    for (const batch of batches) summary.add(batch);
    return summary.rows();
  };
  const find = (summary: ReturnType<typeof summarise>, estimator: string, parameter: string, ciMethod = 'wald') =>
    summary.find((s) => s.estimator === estimator && s.parameter === parameter && s.ciMethod === ciMethod)!;

  it("pairs each replicate's estimates with the reference's in that replicate, where both have one", () => {
    const summary = summarise('ref', [rows]);
    const other = find(summary, 'other', 'X');
    expect(other.performance.nReps).toBe(6);
    expect(other.relPrecision).toBeCloseTo(-0.13179507235041065, 13);
    expect(other.relPrecisionMcse).toBeCloseTo(0.17981086955838254, 13);
    for (const ciMethod of ['wald', 'satterthwaite']) expect([find(summary, 'ref', 'X', ciMethod).relPrecision, find(summary, 'ref', 'X', ciMethod).relPrecisionMcse]).toEqual([0, 0]);
    expect(find(summary, 'other', 'extra').relPrecision).toBeNaN();
    expect(find(summary, 'other', 'extra').relPrecisionMcse).toBeNaN();
  });

  it('gives the same in any batches, and nothing without a reference', () => {
    const split = [rows.slice(0, 9), rows.slice(9, 10), rows.slice(10)]; // the second batch splits replicate 2
    expect(summarise('ref', split)).toEqual(summarise('ref', [rows]));
    for (const reference of [undefined, 'absent']) {
      for (const s of summarise(reference, [rows])) expect([s.relPrecision, s.relPrecisionMcse]).toEqual([NaN, NaN]);
    }
    // The other way round: `other` as the reference.
    const swapped = find(summarise('other', [rows]), 'ref', 'X');
    expect(swapped.relPrecision).toBeCloseTo(1 / (1 - 0.13179507235041065) - 1, 13);
  });

  it('refuses rows out of replicate order', () => {
    const summary = new ConditionSummary({ condition: 0, estimators: ['other', 'ref'], truth: {}, reference: 'ref' });
    summary.add([row(3, 0, 'X', 1)]);
    expect(() => summary.add([row(2, 0, 'X', 1)])).toThrow(/replicate 2 added after replicate 3/);
  });
});
