import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.ts';
import { parseFormula } from '../../src/formula/terms.ts';
import { modelFrame } from '../../src/lmm/modelFrame.ts';
import { modelMatrix } from '../../src/lmm/modelMatrix.ts';
import { fixturePath } from '../fixtures/lme4/fixtures.ts';
import fits from '../fixtures/lme4/fits.json' with { type: 'json' };

const mid = readCsv(fixturePath('mid30.csv')).data;

describe('fixed-effects columns follow R model.matrix names and contrasts', () => {
  it.each(fits.designs.map((d) => [d.formula, d.columns] as const))('%s', (formula, columns) => {
    const parsed = parseFormula(`${formula} + (1 | g)`);
    const frame = modelFrame(parsed, mid, 'mid30.csv');
    expect(modelMatrix(parsed.fixed, frame).names).toEqual(columns);
  });
});

describe('model matrix values', () => {
  it('codes a factor by treatment contrasts and an interaction by products', () => {
    const data = { y: [1, 2, 3, 4, 5, 6], x: [0.5, 1, 2, 3, 4, 5], f: ['b', 'a', 'c', 'a', 'b', 'c'], g: ['u', 'u', 'v', 'v', 'w', 'w'] };
    const parsed = parseFormula('y ~ x * f + (1 | g)');
    const X = modelMatrix(parsed.fixed, modelFrame(parsed, data));
    expect(X.names).toEqual(['(Intercept)', 'x', 'fb', 'fc', 'x:fb', 'x:fc']);
    // Row 0: x = 0.5, f = b.  Row 2: x = 2, f = c.  Row 1: f = a, the reference level.
    const row = (r: number): number[] => X.columns.map((c) => c[r]);
    expect(row(0)).toEqual([1, 0.5, 1, 0, 0.5, 0]);
    expect(row(1)).toEqual([1, 1, 0, 0, 0, 0]);
    expect(row(2)).toEqual([1, 2, 0, 1, 0, 2]);
  });
});
