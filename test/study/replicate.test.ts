/** Replaying one replicate alone from what its row records (condition, replicate, seed). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords, readCsv } from '../../src/data/csv.ts';
import { fitLmm } from '../../src/lmm/fit.ts';
import { defineStudy } from '../../src/study/define.ts';
import { conditions } from '../../src/study/design.ts';
import { lmm, readsOnly } from '../../src/study/estimates.ts';
import { estimatorSeed, replicateSeed } from '../../src/rng/seed.ts';
import { createStream, type RandomStream } from '../../src/rng/stream.ts';
import { loadStudy } from '../../src/study/load.ts';
import { runReplicate } from '../../src/study/replicate.ts';
import { runStudy } from '../../src/study/runner.ts';
import { readFileSync } from 'node:fs';
import { root } from '../cli/run.ts';
import { tempDir } from '../tempDir.ts';

const studiesDir = join(root, 'test', 'fixtures', 'studies');

describe('runReplicate', () => {
  it("replays a run's replicate from its row alone: the same estimates, to the last digit", async () => {
    const out = tempDir('mixsim-replay-');
    await runStudy({ study: 'tiny', out, replications: 5, workers: 2, studiesDir, progress: 'none', log: () => {} });
    const [header, ...rows] = parseCsvRecords(readFileSync(join(out, 'replicates.csv'), 'utf8'), 'replicates.csv').map((r) => r.fields);
    const at = (name: string) => header.indexOf(name);
    const row = rows.find((r) => r[at('condition')] === '1' && r[at('replicate')] === '3' && r[at('estimator')] === 'rs' && r[at('parameter')] === 'X')!;
    const { study } = await loadStudy('tiny', studiesDir);
    const condition = conditions(study.design)[Number(row[at('condition')])];
    const [replayed] = runReplicate(study, condition, Number(row[at('replicate')]), { seed: Number(row[at('seed')]), estimators: ['rs'] });
    const x = replayed.rows.find((r) => r.parameter === 'X' && r.ciMethod === row[at('ci_method')])!;
    expect(String(x.estimate)).toBe(row[at('estimate')]);
    expect(String(x.se)).toBe(row[at('se')]);
    expect(String(x.ciLower)).toBe(row[at('ci_lower')]);
  });

  it('refuses an unknown estimator and a replicate that is not a non-negative integer', async () => {
    const { study } = await loadStudy('tiny', studiesDir);
    const condition = conditions(study.design)[0];
    expect(() => runReplicate(study, condition, 0, { seed: 7, estimators: ['lasso'] })).toThrow("runReplicate: unknown estimator 'lasso' (estimators: rs, mean, flaky)");
    expect(() => runReplicate(study, condition, -1, { seed: 7, estimators: ['mean'] })).toThrow('runReplicate: replicate must be a non-negative integer, not -1');
    expect(() => runReplicate(study, condition, 1.5, { seed: 7, estimators: ['mean'] })).toThrow('runReplicate: replicate must be a non-negative integer, not 1.5');
  });

  it('gives each estimator the data as generated, whatever an estimator before it changed in place', () => {
    // `centre` centres X in the array it was given and adds a column; `raw` fits the data as generated.
    const study = defineStudy({
      design: { groups: [6] },
      replications: 1,
      seed: 11,
      generate: (c, rng) => {
        const X = new Float64Array(60);
        const group: string[] = [];
        const response: number[] = [];
        for (let i = 0; i < 60; i++) { X[i] = 5 + rng.normal(); group.push(`g${i % c.groups}`); response.push(1 + 2 * X[i] + rng.normal()); }
        return { X, group, response };
      },
      estimators: {
        centre: (data) => {
          const x = data.X as Float64Array;
          const mean = x.reduce((t, v) => t + v, 0) / x.length;
          for (let i = 0; i < x.length; i++) x[i] -= mean;
          (data as Record<string, unknown>).note = ['centred'];
          (data.group as string[]).reverse();
          return { mean_x: mean };
        },
        raw: lmm('response ~ X + (1 | group)'),
        first_x: (data) => ({ first_x: (data.X as Float64Array)[0], columns: Object.keys(data).length }),
      },
      truth: () => ({}),
    });
    const condition = conditions(study.design)[0];
    const run = (estimators: string[]) => Object.fromEntries(runReplicate(study, condition, 0, { seed: 11, estimators }).map((r) => [r.estimator, r.rows]));
    const all = run(['centre', 'raw', 'first_x']);
    const alone = run(['raw']);
    expect(all.raw).toEqual(alone.raw);
    expect(all.raw.find((r) => r.parameter === '(Intercept)')!.estimate).toBeCloseTo(1, 0);
    expect(all.first_x).toEqual(run(['first_x']).first_x);
    expect(all.first_x.find((r) => r.parameter === 'columns')!.estimate).toBe(3);
    expect(all.first_x.find((r) => r.parameter === 'first_x')!.estimate).toBeGreaterThan(2);
    // The last estimator analyses the generated data itself: nothing runs after it.
    expect(run(['raw', 'centre']).centre).toEqual(all.centre);
  });

  it("copies no data for lmm's estimators, which only read it", () => {
    expect(readsOnly(lmm('response ~ X + (1 | group)'))).toBe(true);
    expect(readsOnly((data: unknown) => ({ n: Object.keys(data as object).length }))).toBe(false);
    // fitLmm leaves its data as it was: numeric and text columns, missing values, rows dropped for them.
    const { data } = readCsv(join(root, 'test', 'fixtures', 'lme4', 'sleepstudy.csv'));
    const given = { ...data, Reaction: Float64Array.from(data.Reaction as number[], (v, i) => (i % 17 === 3 ? NaN : v)), Days: [...(data.Days as number[])] };
    const before = JSON.stringify(Object.fromEntries(Object.entries(given).map(([k, v]) => [k, Array.from(v as ArrayLike<unknown>)])));
    fitLmm('Reaction ~ Days + (Days | Subject)', given).satterthwaite();
    expect(JSON.stringify(Object.fromEntries(Object.entries(given).map(([k, v]) => [k, Array.from(v as ArrayLike<unknown>)])))).toBe(before);
  });

  it('hands every replicate its condition as the design gives it: a change to it is refused, and recorded', () => {
    const study = defineStudy({
      design: { groups: [6] },
      replications: 2,
      seed: 11,
      generate: (c) => ({ groups: [c.groups] }),
      estimators: {
        shrink: (_data, c) => { (c as { groups: number }).groups = 2; return { groups: c.groups }; },
        groups: (data) => ({ groups: (data.groups as number[])[0] }),
      },
      truth: () => ({}),
    });
    const condition = conditions(study.design)[0];
    for (const replicate of [0, 1]) {
      const [shrink, groups] = runReplicate(study, condition, replicate, { seed: 11, estimators: ['shrink', 'groups'] });
      expect(shrink.rows[0].error).toMatch(/read only property 'groups'/);
      expect(groups.rows[0].estimate).toBe(6);
    }
  });

  it("draws an estimator's numbers from its own stream, seeded by (seed, condition, replicate, name) alone", () => {
    const draws = (_data: unknown, _c: unknown, rng: RandomStream) => ({ u: rng.uniform(), k: rng.integer(1000), z: rng.standardNormal() });
    const study = defineStudy({
      design: { groups: [3, 4] },
      replications: 2,
      seed: 21,
      generate: (c, rng) => ({ x: [rng.uniform(), c.groups] }),
      estimators: { a: draws, b: draws },
      truth: () => ({}),
    });
    const condition = conditions(study.design)[1];
    const values = (rows: readonly { parameter: string; estimate: number }[]) => Object.fromEntries(rows.map((r) => [r.parameter, r.estimate]));
    const run = (estimators: string[], replicate = 1) => Object.fromEntries(runReplicate(study, condition, replicate, { seed: 21, estimators }).map((r) => [r.estimator, values(r.rows)]));
    const both = run(['a', 'b']);
    const expected = (name: string, replicate = 1) => {
      const rng = createStream(estimatorSeed({ seed: 21, condition: 1, replicate }, name));
      return { u: rng.uniform(), k: rng.integer(1000), z: rng.standardNormal() };
    };
    expect(both.a).toEqual(expected('a'));
    expect(both.b).toEqual(expected('b'));
    expect(run(['b']).b).toEqual(both.b);
    expect(run(['b', 'a'])).toEqual(both);
    expect(run(['a'], 0).a).toEqual(expected('a', 0));
    expect(both.a.u).not.toBe(both.b.u);
    expect(both.a.u).not.toBe(run(['a'], 0).a.u);
    // Not the data's stream: generate's first uniform is another number.
    expect(createStream(replicateSeed({ seed: 21, condition: 1, replicate: 1 })).uniform()).not.toBe(both.a.u);
  });

  it('refuses Math.random in generate and in estimators, as an error of the replicate, and puts it back', () => {
    const study = defineStudy({
      design: { groups: [3] },
      replications: 1,
      seed: 2,
      generate: (c) => ({ x: [c.groups === 3 ? 1 : Math.random()] }),
      estimators: { unseeded: () => ({ u: Math.random() }), seeded: (_d, _c, rng) => ({ u: rng.uniform() }) },
      truth: () => ({}),
    });
    const condition = conditions(study.design)[0];
    const [unseeded, seeded] = runReplicate(study, condition, 0, { seed: 2, estimators: ['unseeded', 'seeded'] });
    expect(unseeded.rows[0].error).toBe("Math.random is not seeded, so its draws would differ from run to run: draw from the estimator's third argument, its own seeded stream (rng.uniform(), rng.integer(n))");
    expect(seeded.rows[0].estimate).toBeGreaterThan(0);
    const drawing = defineStudy({ ...study, generate: () => ({ x: [Math.random()] }) });
    const [failed] = runReplicate(drawing, condition, 0, { seed: 2, estimators: ['seeded'] });
    expect(failed.rows[0].error).toBe("generate: Math.random is not seeded, so its draws would differ from run to run: draw from generate's rng, the replicate's own seeded stream (rng.uniform(), rng.normal())");
    const u = Math.random();
    expect(u >= 0 && u < 1).toBe(true);
  });
});
