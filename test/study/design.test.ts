/** The design's grid of conditions, and --where's choice among them. */
import { describe, expect, it } from 'vitest';
import { conditions, parseFilters, selectConditions } from '../../src/study/design.ts';

const design = { n_groups: [5, 50], slope_sd: [0, 0.25], method: ['reml', 'ml'] };
const chosen = (where: string[]): string[] =>
  selectConditions(conditions(design), parseFilters(where, design)).map((c) => `${c.values.n_groups}/${c.values.slope_sd}/${c.values.method}`);

describe('--where', () => {
  it('crosses the factors, the first one fastest', () => {
    expect(chosen([])).toEqual(['5/0/reml', '50/0/reml', '5/0.25/reml', '50/0.25/reml', '5/0/ml', '50/0/ml', '5/0.25/ml', '50/0.25/ml']);
  });

  it('keeps the conditions matching every factor named, values of one factor being alternatives', () => {
    expect(chosen(['n_groups=5', 'method=ml'])).toEqual(['5/0/ml', '5/0.25/ml']);
    expect(chosen(['slope_sd=0', 'slope_sd=0.25', 'n_groups=50', 'method=reml'])).toEqual(['50/0/reml', '50/0.25/reml']);
  });

  it('takes a number written another way', () => {
    expect(chosen(['slope_sd=.25', 'n_groups=5e1', 'method=ml'])).toEqual(['50/0.25/ml']);
    expect(parseFilters(['slope_sd=.250'], design)).toEqual([{ factor: 'slope_sd', value: '0.25' }]);
  });

  it.each([
    ['slope_sd=0.3', "--where: factor 'slope_sd' has no value '0.3' (values: 0, 0.25)"],
    ['slope_sd=', "--where: factor 'slope_sd' has no value '' (values: 0, 0.25)"],
    ['method=1', "--where: factor 'method' has no value '1' (values: reml, ml)"],
    ['size=4', "--where: unknown design factor 'size' (factors: n_groups, slope_sd, method)"],
    ['n_groups', "--where 'n_groups' is not of the form factor=value"],
  ])('refuses %s', (where, message) => {
    expect(() => parseFilters([where], design)).toThrow(message);
  });
});
