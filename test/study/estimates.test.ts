/** An estimator's result as rows: hand-written estimates are taken as given, and what is not one is an error. */
import { describe, expect, it } from 'vitest';
import { estimateRows, lmm } from '../../src/study/estimates.ts';
import type { EstimatorResult } from '../../src/study/define.ts';

const rows = (result: unknown) => estimateRows(result as EstimatorResult, 0.95);

describe('estimateRows of a hand-written estimator', () => {
  it('takes NaN for an SE or limit there is none of, and a one-sided interval', () => {
    const given = [{ parameter: 'a', estimate: 1, se: NaN, ciLower: NaN, ciUpper: NaN }, { parameter: 'b', estimate: 1, ciLower: 0, ciUpper: Infinity }];
    expect(rows(given).map((r) => [r.se, r.ciLower, r.ciUpper])).toEqual([[NaN, NaN, NaN], [NaN, 0, Infinity]]);
  });

  it('takes one parameter with several interval methods', () => {
    const twoIntervals = [{ parameter: 'a', estimate: 1, ciLower: 0, ciUpper: 2, ciMethod: 'wald' }, { parameter: 'a', estimate: 1, ciLower: -1, ciUpper: 3, ciMethod: 't' }];
    expect(rows(twoIntervals).map((r) => r.ciMethod)).toEqual(['wald', 't']);
  });

  it('takes { parameter: estimate } and a list of estimates, NaN for what is absent', () => {
    expect(rows({ mean: 1.5, median: NaN }).map((r) => [r.parameter, r.estimate, r.se, r.error])).toEqual([['mean', 1.5, NaN, ''], ['median', NaN, NaN, '']]);
    const [row] = rows([{ parameter: 'slope', estimate: -0.5, se: 0.1, ciLower: -0.7, ciUpper: -0.3, ciMethod: 'wald' }]);
    expect(row).toEqual({ parameter: 'slope', estimate: -0.5, se: 0.1, ciLower: -0.7, ciUpper: -0.3, ciMethod: 'wald', converged: true, singular: false, error: '' });
  });

  it.each([
    [{ mean: 'x' }, `the estimator returned estimate "x" for 'mean', not a number`],
    [{ mean: null }, `the estimator returned estimate null for 'mean', not a number`],
    [[{ parameter: 'slope', estimate: 1, se: '0.1' }], `the estimator returned se "0.1" for 'slope', not a number`],
    [[{ parameter: 'slope', estimate: 1, ciUpper: null }], `the estimator returned ciUpper null for 'slope', not a number`],
    [[{ estimate: 1 }], 'the estimator returned {"estimate":1} where an estimate ({ parameter, estimate }) belongs'],
    [[3], 'the estimator returned 3 where an estimate ({ parameter, estimate }) belongs'],
    [undefined, 'the estimator returned undefined, not estimates (a fit, a list of estimates or { parameter: estimate })'],
    [2.5, 'the estimator returned 2.5, not estimates (a fit, a list of estimates or { parameter: estimate })'],
    [[{ parameter: 'a', estimate: 1 }, { parameter: 'a', estimate: 2 }], "the estimator returned 'a' twice"],
    [[{ parameter: 'a', estimate: 1, se: -0.1 }], "the estimator returned se -0.1 for 'a', below 0"],
    [[{ parameter: 'a', estimate: 1, ciLower: 2, ciUpper: 0 }], "the estimator returned ciLower 2 above ciUpper 0 for 'a'"],
    [[{ parameter: 'a', estimate: 1, ciLower: 0 }], "the estimator returned ciLower without ciUpper for 'a' (NaN for a limit there is none of)"],
    [[{ parameter: 'a', estimate: 1, ciUpper: 0 }], "the estimator returned ciUpper without ciLower for 'a' (NaN for a limit there is none of)"],
    [[{ parameter: 'a', estimate: 1, ciMethod: 'wald' }, { parameter: 'a', estimate: 1, ciMethod: 'wald' }], "the estimator returned 'a' with ciMethod 'wald' twice"],
  ])('refuses %j', (result, message) => {
    expect(() => rows(result)).toThrow(message);
  });
});

describe('lmm', () => {
  it.each([
    ['response ~ X', "formula 'response ~ X' has no random-effects term such as (1 | group)"],
    ['response ~ X + (1 | group', "malformed formula 'response ~ X + (1 | group': expected ')' at the end at position 26"],
    ['response ~ X + (1 | g) + (1 | h)', "formula 'response ~ X + (1 | g) + (1 | h)': only one grouping factor is supported for now, found 'g' and 'h'"],
  ])('refuses %s when the study is defined, not in every replicate', (formula, message) => {
    expect(() => lmm(formula)).toThrow(message);
  });

  it('refuses an interval method named twice, whose rows would count twice', () => {
    expect(() => lmm('response ~ X + (1 | group)', { intervals: ['wald', 'satterthwaite', 'wald'] })).toThrow("lmm('response ~ X + (1 | group)'): option 'intervals' names 'wald' twice");
  });
});
