import { describe, expect, it } from 'vitest';
import { parseFormula } from '../../src/formula/terms.ts';

describe('parseFormula', () => {
  it('expands * and orders terms by degree, variables by appearance', () => {
    const f = parseFormula('y ~ z:x + x*w + (1 | g)');
    expect(f.fixed.intercept).toBe(true);
    expect(f.fixed.terms).toEqual([['x'], ['w'], ['z', 'x'], ['x', 'w']]);
    expect(f.variables).toEqual(['y', 'z', 'x', 'w', 'g']);
  });

  it('drops the intercept with 0 and -1, in either part', () => {
    expect(parseFormula('y ~ 0 + x + (1 | g)').fixed.intercept).toBe(false);
    expect(parseFormula('y ~ x - 1 + (1 | g)').fixed.intercept).toBe(false);
    const r = parseFormula('y ~ x + (0 + x | g)').random[0];
    expect(r).toEqual({ intercept: false, terms: [['x']], group: 'g' });
  });

  it('splits || into independent terms, as lme4', () => {
    const f = parseFormula('y ~ x + (x + z || g)');
    expect(f.random).toEqual([
      { intercept: true, terms: [], group: 'g' },
      { intercept: false, terms: [['x']], group: 'g' },
      { intercept: false, terms: [['z']], group: 'g' },
    ]);
  });

  it('keeps several random terms on one factor', () => {
    expect(parseFormula('y ~ 1 + (1 | g) + (0 + x | g)').random.map((r) => r.intercept)).toEqual([true, false]);
  });

  it.each([
    ['y ~ ', /a term is missing/],
    ['y x', /expected '~'/],
    ['y ~ x + (1 | g', /expected '\)'/],
    ['y ~ x $ z', /unexpected character '\$' at position 7/],
    ['y ~ x + 2', /the number 2 is not a term/],
    ['~ x', /expected a response/],
    ['y ~ y + (1 | g)', /response 'y' also appears/],
    ['y ~ x + (1 | a:b)', /grouping factor must be a single column/],
    ['y ~ x + (0 | g)', /has no effects/],
  ])('rejects %s with a message naming the problem', (text, message) => {
    expect(() => parseFormula(text)).toThrow(message);
  });
});
