import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.ts';
import type { Dataset } from '../../src/data/dataset.ts';
import { UserError } from '../../src/errors.ts';
import { parseFormula } from '../../src/formula/terms.ts';
import { fitLmm } from '../../src/lmm/fit.ts';
import { modelFrame } from '../../src/lmm/modelFrame.ts';
import { fixturePath } from '../fixtures/lme4/fixtures.ts';

const sleep = readCsv(fixturePath('sleepstudy.csv')).data;

describe('fitLmm on bad input', () => {
  it.each([
    ['Reaction ~ Dayz + (1 | Subject)', /unknown column 'Dayz'/],
    ['Reaction ~ Days + (1 | Subjct)', /unknown column 'Subjct'/],
    ['Reaction ~ Days + (1 | Subject) + (1 | Days)', /only one grouping factor/],
    ['Reaction ~ Days', /no random-effects term/],
  ])('%s', (formula, message) => {
    expect(() => fitLmm(formula, sleep, { source: 'sleep.csv' })).toThrow(message);
    expect(() => fitLmm(formula, sleep, { source: 'sleep.csv' })).toThrow(UserError);
  });

  it('names a dependent fixed-effects column', () => {
    const data = { ...sleep, Days2: Array.from(sleep.Days as Float64Array, (d) => 2 * d + 1) };
    expect(() => fitLmm('Reaction ~ Days + Days2 + (1 | Subject)', data, { source: 's.csv' }))
      .toThrow("s.csv: the fixed-effects model matrix is rank deficient: column 'Days2' is a linear combination");
  });

  it('refuses a grouping factor with one level, or as many levels as rows', () => {
    const n = (sleep.Reaction as Float64Array).length;
    expect(() => fitLmm('Reaction ~ Days + (1 | one)', { ...sleep, one: new Array(n).fill('a') }))
      .toThrow("grouping factor 'one' has 1 level; it needs at least 2");
    expect(() => fitLmm('Reaction ~ Days + (1 | id)', { ...sleep, id: Array.from({ length: n }, (_, i) => `r${i}`) }))
      .toThrow("grouping factor 'id' has 180 levels for 180 rows");
  });

  // lme4's check.nobs.vs.nRE: each term's random effects must be fewer than the rows, not all terms' together.
  it('refuses a term with as many random effects as rows, and fits terms that have fewer each', () => {
    // sleepstudy's first 36 rows: 18 subjects with 2 days each.
    const rows = Array.from(sleep.Days as Float64Array, (_, i) => i).filter((i) => (sleep.Days as Float64Array)[i] < 2);
    const first: Dataset = {
      Reaction: Float64Array.from(rows, (i) => (sleep.Reaction as Float64Array)[i]),
      Days: Float64Array.from(rows, (i) => (sleep.Days as Float64Array)[i]),
      Subject: rows.map((i) => String(sleep.Subject[i])),
    };
    expect(() => fitLmm('Reaction ~ Days + (Days | Subject)', first, { source: 's.csv' }))
      .toThrow("s.csv: the random-effects term of (Intercept), Days by 'Subject' has 36 random effects for 36 rows");
    const fit = fitLmm('Reaction ~ Days + (Days || Subject)', first);
    expect(fit.n).toBe(36);
    expect(Object.keys(fit.sd)).toEqual(['Subject:(Intercept)', 'Subject:Days']);
  });

  it('drops rows with a missing value, as lme4, and counts them', () => {
    const mid = readCsv(fixturePath('mid30.csv')).data;
    const total = (mid.y as Float64Array).length;
    const fit = fitLmm('y ~ x + f + (1 | g)', mid);
    expect(fit.n).toBe(324);
    expect(fit.dropped).toBe(total - 324);
    // z has no missing value: only the rows missing x or y go.
    expect(fitLmm('y ~ z + (1 | g)', mid).n).toBe(total - 2);
  });

  it('refuses an infinite value, naming its column and row (lme4 stops at it too: "NA/NaN/Inf in foreign function call")', () => {
    const days = Float64Array.from(sleep.Days as Float64Array);
    days[4] = Infinity;
    expect(() => fitLmm('Reaction ~ Days + (1 | Subject)', { ...sleep, Days: days }, { source: 'sleep.csv' }))
      .toThrow(new UserError("sleep.csv: column 'Days' is Infinity in row 5: a model cannot use an infinite value (a missing one is NaN)"));
    const reaction = Float64Array.from(sleep.Reaction as Float64Array);
    reaction[179] = -Infinity;
    reaction[3] = NaN; // missing, and before the infinity: rows are checked in order
    expect(() => fitLmm('Reaction ~ Days + (1 | Subject)', { ...sleep, Reaction: reaction }))
      .toThrow("data: column 'Reaction' is -Infinity in row 180");
    // Values whose sum overflows are finite: where the sum is not, each value is looked at.
    const huge = Float64Array.from(sleep.Reaction as Float64Array, (r, i) => (i < 2 ? 1.7e308 : r));
    const frame = modelFrame(parseFormula('Reaction ~ Big + (1 | Subject)'), { ...sleep, Big: huge });
    expect([frame.n, frame.dropped]).toEqual([180, 0]);
  });

  it('refuses a column whose sum of squares overflows, naming it, and fits one just short of that as at a small scale', () => {
    // Days, but for two values of `scale`: lme4 stops at 1e160 ("objective in x0 returns NA"), and fits 1e153.
    const big = (scale: number) => ({ ...sleep, Big: Float64Array.from(sleep.Days as Float64Array, (d, i) => (i < 2 ? scale : d)) });
    for (const [formula, column] of [['Reaction ~ Big + (1 | Subject)', 'Big'], ['Reaction ~ 1 + (Big | Subject)', 'Big'], ['Big ~ Days + (1 | Subject)', 'Big']]) {
      expect(() => fitLmm(formula, big(1e160), { source: 'big.csv' }))
        .toThrow(new UserError(`big.csv: column '${column}' is too large to fit: its sum of squares overflows (|values| up to 1e+160); rescale it`));
    }
    // The fit scales with the column: the same intercept and sigma, and the slope times the scale.
    const [near, small] = [fitLmm('Reaction ~ Big + (1 | Subject)', big(1e153)), fitLmm('Reaction ~ Big + (1 | Subject)', big(1e50))];
    expect(near.converged).toBe(true);
    expect(near.fixef['(Intercept)']).toBeCloseTo(small.fixef['(Intercept)'], 9);
    expect(near.fixef.Big * 1e153).toBeCloseTo(small.fixef.Big * 1e50, 9);
    expect(near.sigma).toBeCloseTo(small.sigma, 9);
  });
});
