/** defineStudy checks a study's definition and names the option and value at fault. */
import { describe, expect, it } from 'vitest';
import { defineStudy, referenceEstimator, trueValues } from '../../src/study/define.ts';
import { REPLICATE_COLUMNS, SUMMARY_COLUMNS } from '../../src/summary/columns.ts';

const base = { name: 's', design: { a: [1, 2] }, replications: 2, seed: 1, generate: () => ({}), estimators: { m: () => ({ m: 1 }) }, truth: () => ({ m: 1 }) };
const define = (change: object) => () => defineStudy({ ...base, ...change } as never);

describe('defineStudy', () => {
  it('takes a valid definition, with the default level', () => {
    expect(defineStudy(base)).toMatchObject({ name: 's', level: 0.95, kind: 'mixsim-study' });
    expect(defineStudy({ ...base, design: { method: ['reml', 'ml'], centred: [true, false], n: [5, 50] } }).design.method).toEqual(['reml', 'ml']);
  });

  it.each([
    [{ design: [1, 2] }, "study 's': 'design' must be an object of factor -> values, like { n_groups: [5, 50] }"],
    [{ design: { a: [] } }, "study 's': design factor 'a' has no values"],
    [{ design: { a: [1, 1] } }, "study 's': design factor 'a' repeats a value"],
    [{ design: { a: [NaN] } }, "study 's': design factor 'a' has the value NaN: values are finite numbers, strings or booleans"],
    [{ design: { a: [{ k: 1 }] } }, 'study \'s\': design factor \'a\' has the value {"k":1}: values are finite numbers, strings or booleans'],
    [{ design: { 'a b': [1] } }, "study 's': design factor name 'a b' is not a plain name"],
    [{ replications: 0 }, "study 's': 'replications' must be a positive integer, not 0"],
    [{ estimators: {} }, "study 's': 'estimators' names no estimator"],
    [{ level: 1.5 }, "study 's': 'level' must be in (0, 1), not 1.5"],
    [{ reference: 'n' }, "study 's': 'reference' is \"n\", not one of the estimators (m)"],
  ])('refuses %j', (change, message) => {
    expect(define(change)).toThrow(message);
  });

  it('measures relative precision against the first estimator, or the one `reference` names', () => {
    const two = { ...base, estimators: { m: () => ({ m: 1 }), k: () => ({ m: 2 }) } };
    expect(referenceEstimator(defineStudy(two))).toBe('m');
    expect(referenceEstimator(defineStudy({ ...two, reference: 'k' }))).toBe('k');
  });

  it("refuses a factor named as one of the tables' own columns, which would hide it in replicates.csv", () => {
    for (const column of [...REPLICATE_COLUMNS, ...SUMMARY_COLUMNS]) {
      expect(define({ design: { [column]: [1] } })).toThrow(`study 's': design factor name '${column}' is a column of the result tables already; name it otherwise`);
    }
  });
});

describe('trueValues', () => {
  const study = (truth: unknown) => defineStudy({ ...base, truth: truth as never });

  it("gives the study's true values, NaN where a parameter has none", () => {
    expect(trueValues(study((c: { a: number }) => ({ m: c.a, cor: NaN })), { a: 2 })).toEqual({ m: 2, cor: NaN });
  });

  it.each([
    [() => { throw new Error('unknown'); }, "study 's': truth({\"a\":2}) threw: unknown"],
    [() => undefined, "study 's': truth({\"a\":2}) returned undefined, not { parameter: value }"],
    [() => [1], "study 's': truth({\"a\":2}) returned [1], not { parameter: value }"],
    [() => ({ m: '1' }), "study 's': truth({\"a\":2}) gives 'm' the value \"1\", not a number (NaN where there is no true value)"],
    [() => ({ m: null }), "study 's': truth({\"a\":2}) gives 'm' the value null, not a number (NaN where there is no true value)"],
  ])('refuses a truth that fails: %s', (truth, message) => {
    expect(() => trueValues(study(truth), { a: 2 })).toThrow(message);
  });
});
