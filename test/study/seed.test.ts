import { describe, expect, it } from 'vitest';
import { simulateMixedData } from '../../src/data/generate.ts';
import { estimatorSeed, fmix32, replicateSeed } from '../../src/rng/seed.ts';
import { createStream, replicateStream } from '../../src/rng/stream.ts';

describe('replicate seeds', () => {
  it('follow the documented hash', () => {
    // MurmurHash3 fmix32 reference values.
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
    const golden = 0x9e3779b9;
    const h0 = fmix32((7 ^ golden) >>> 0);
    const h1 = fmix32(h0 ^ fmix32((2 + golden) >>> 0));
    const h2 = fmix32(h1 ^ fmix32((5 + 2 * golden) >>> 0));
    expect(Array.from(replicateSeed({ seed: 7, condition: 2, replicate: 5 }))).toEqual([h0, h1, h2, fmix32((h2 + golden) >>> 0)]);
  });

  it("give an estimator's own stream a fifth word: the documented hash of its name", () => {
    const key = { seed: 7, condition: 2, replicate: 5 };
    const words = Array.from(replicateSeed(key));
    // FNV-1a's published values: 'a' 0xe40c292c, 'foobar' 0xbf9cf968; 'β' is the UTF-8 bytes CE B2.
    const fnvBeta = Math.imul(Math.imul(0x811c9dc5 ^ 0xce, 0x01000193) ^ 0xb2, 0x01000193) >>> 0;
    for (const [name, hash] of [['a', 0xe40c292c], ['foobar', 0xbf9cf968], ['β', fnvBeta]] as const) {
      expect(Array.from(estimatorSeed(key, name))).toEqual([...words, fmix32((words[3] ^ hash) >>> 0)]);
      expect(Array.from(estimatorSeed(key, name))).toEqual(Array.from(estimatorSeed(key, name))); // once more, from the cache
    }
  });

  it('give each replicate its own stream, the same every time', () => {
    const draw = (condition: number, replicate: number): number[] => {
      const s = replicateStream({ seed: 1, condition, replicate });
      return [s.uniform(), s.normal(), s.integer(10)];
    };
    expect(draw(0, 0)).toEqual(draw(0, 0));
    expect(draw(0, 1)).not.toEqual(draw(0, 0));
    expect(draw(1, 0)).not.toEqual(draw(0, 0));
    expect(draw(0, 1)).not.toEqual(draw(1, 0));
  });

  it('reject a seed outside [0, 2^32)', () => {
    expect(() => replicateSeed({ seed: -1, condition: 0, replicate: 0 })).toThrow('seed must be an integer from 0 to 4294967295, not -1');
    expect(() => replicateSeed({ seed: 1.5, condition: 0, replicate: 0 })).toThrow(/not 1\.5/);
  });
});

describe('simulateMixedData', () => {
  const options = { rows: 20000, groups: 40, intercept: 10, slope: -0.5, interceptSd: 1, slopeSd: 0.5, correlation: 0.6, residualSd: 2 };
  const mean = (v: Float64Array): number => v.reduce((t, u) => t + u, 0) / v.length;
  const cov = (u: Float64Array, v: Float64Array): number => {
    const [mu, mv] = [mean(u), mean(v)];
    return u.reduce((t, ui, i) => t + (ui - mu) * (v[i] - mv), 0) / (u.length - 1);
  };
  const sd = (v: Float64Array): number => Math.sqrt(cov(v, v));

  it('is a pure function of the stream', () => {
    const a = simulateMixedData(options, createStream(11));
    const b = simulateMixedData(options, createStream(11));
    expect(Array.from(a.response as Float64Array)).toEqual(Array.from(b.response as Float64Array));
  });

  it('assigns rows as asked: balanced, unbalanced, given sizes', () => {
    const count = (group: Float64Array, g: number): number => group.filter((v) => v === g).length;
    const balanced = simulateMixedData({ ...options, rows: 103, groups: 10, assignment: 'balanced' }, createStream(1)).group as Float64Array;
    expect(count(balanced, 0)).toBe(11);
    expect(count(balanced, 9)).toBe(10);
    const unbalanced = simulateMixedData({ ...options, rows: 550, groups: 10, assignment: 'unbalanced' }, createStream(1)).group as Float64Array;
    expect(Array.from({ length: 10 }, (_, g) => count(unbalanced, g))).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    // Quotas 96 (g + 1) / 36 = 2.67, 5.33, 8, 10.67, 13.33, 16, 18.67, 21.33: floors sum to 93, and the 3 rows left
    // go to the largest remainders (groups 0, 3 and 6), every row in its group's block.
    const rounded = simulateMixedData({ ...options, rows: 96, groups: 8, assignment: 'unbalanced' }, createStream(1)).group as Float64Array;
    expect(Array.from({ length: 8 }, (_, g) => count(rounded, g))).toEqual([3, 5, 8, 11, 13, 16, 19, 21]);
    expect(Array.from(rounded)).toEqual([...Array.from(rounded)].sort((a, b) => a - b));
    const given = simulateMixedData({ ...options, rows: 6, groups: 2, assignment: { sizes: [2, 4] } }, createStream(1)).group as Float64Array;
    expect(Array.from(given)).toEqual([0, 0, 1, 1, 1, 1]);
    expect(() => simulateMixedData({ ...options, rows: 6, groups: 2, assignment: { sizes: [2, 3] } }, createStream(1))).toThrow("option 'assignment.sizes' must sum to rows (6), not [2, 3]");
  });

  it.each([
    [{ intercept: NaN }, "simulateMixedData: option 'intercept' must be a finite number, not NaN"],
    [{ slope: Infinity }, "simulateMixedData: option 'slope' must be a finite number, not Infinity"],
    [{ residualSd: -1 }, "simulateMixedData: option 'residualSd' must be a finite number >= 0, not -1"],
    [{ slopeSd: NaN }, "simulateMixedData: option 'slopeSd' must be a finite number >= 0, not NaN"],
    [{ assignment: 'random' }, "simulateMixedData: option 'assignment' must be 'uniform', 'balanced', 'unbalanced' or { sizes: [...] }, not \"random\""],
    [{ covariate: { distribution: 'uniform', min: 2, max: 1 } }, 'simulateMixedData: option \'covariate\' must have finite min < max, not {"distribution":"uniform","min":2,"max":1}'],
    [{ covariate: { distribution: 'normal', sd: -1 } }, "simulateMixedData: option 'covariate.sd' must be a finite number >= 0, not -1"],
    [{ covariate: { distribution: 'gamma' } }, "simulateMixedData: option 'covariate.distribution' must be 'normal', 'uniform', 'bernoulli' or 'treatment', not \"gamma\""],
    [{ covariate: { distribution: 'bernoulli', p: 1.5 } }, "simulateMixedData: option 'covariate.p' must be in [0, 1], not 1.5"],
    [{ covariate: { distribution: 'treatment', share: NaN } }, "simulateMixedData: option 'covariate.share' must be in [0, 1], not NaN"],
    [{ covariate: { distribution: 'treatment', level: 'cluster' } }, "simulateMixedData: option 'covariate.level' must be 'row' or 'group', not \"cluster\""],
  ])('refuses %j, naming the option and the value', (bad, message) => {
    expect(() => simulateMixedData({ ...options, ...bad } as never, createStream(1))).toThrow(message);
  });

  it('draws covariate and residuals with the asked moments (20000 rows: 4 SE bounds)', () => {
    const d = simulateMixedData({ ...options, interceptSd: 0, slopeSd: 0, slope: 0, intercept: 0, covariate: { distribution: 'uniform', min: 2, max: 4 } }, createStream(3));
    const x = d.X as Float64Array;
    const y = d.response as Float64Array;
    expect(Math.abs(mean(x) - 3)).toBeLessThan(4 * (2 / Math.sqrt(12)) / Math.sqrt(20000));
    expect(Math.min(...x)).toBeGreaterThanOrEqual(2);
    expect(Math.abs(sd(y) - 2)).toBeLessThan(4 * 2 / Math.sqrt(2 * 20000));
  });

  it('draws a Bernoulli covariate with the asked probability (20000 rows: a 4 SE bound)', () => {
    const x = simulateMixedData({ ...options, covariate: { distribution: 'bernoulli', p: 0.3 } }, createStream(4)).X as Float64Array;
    expect(x.every((v) => v === 0 || v === 1)).toBe(true);
    expect(Math.abs(mean(x) - 0.3)).toBeLessThan(4 * Math.sqrt(0.3 * 0.7 / 20000));
  });

  it('treats exactly round(share x units) units, each as likely as the others (2000 datasets: 4 SE bounds)', () => {
    const treated = (d: Record<string, unknown>): number => (d.X as Float64Array).reduce((t, v) => t + v, 0);
    const small = { ...options, rows: 10, groups: 2 };
    expect(treated(simulateMixedData({ ...small, covariate: { distribution: 'treatment' } }, createStream(1)))).toBe(5);
    expect(treated(simulateMixedData({ ...small, rows: 7, covariate: { distribution: 'treatment', share: 0.5 } }, createStream(1)))).toBe(4); // round(3.5)
    expect(treated(simulateMixedData({ ...small, covariate: { distribution: 'treatment', share: 0 } }, createStream(1)))).toBe(0);
    // Complete randomisation: each row is treated in 3 of 10 datasets.
    const times = new Float64Array(10);
    for (let seed = 0; seed < 2000; seed++) {
      const x = simulateMixedData({ ...small, covariate: { distribution: 'treatment', share: 0.3 } }, createStream(seed)).X as Float64Array;
      expect(treated({ X: x })).toBe(3);
      x.forEach((v, r) => { times[r] += v; });
    }
    for (const t of times) expect(Math.abs(t / 2000 - 0.3)).toBeLessThan(4 * Math.sqrt(0.3 * 0.7 / 2000));
  });

  it("gives a covariate of the groups to all of a group's rows: half the groups treated, each group in one arm", () => {
    const d = simulateMixedData({ rows: 120, groups: 6, assignment: 'unbalanced', intercept: 1, slope: 2, interceptSd: 0, residualSd: 0,
      covariate: { distribution: 'treatment', level: 'group' } }, createStream(6));
    const [x, y, group] = [d.X, d.response, d.group] as Float64Array[];
    const arm = new Map<number, Set<number>>();
    group.forEach((g, r) => arm.set(g, (arm.get(g) ?? new Set()).add(x[r])));
    expect([...arm.values()].every((values) => values.size === 1)).toBe(true);
    expect([...arm.values()].filter((values) => values.has(1))).toHaveLength(3);
    // With no random effects or noise, the response is the fixed line exactly.
    expect(Array.from(y)).toEqual(Array.from(x, (v) => 1 + 2 * v));
    // A normal covariate of the groups: the draws of a row-level one for as many rows as groups, one a group
    // (balanced groups of two rows, in blocks).
    const normal = simulateMixedData({ rows: 12, groups: 6, assignment: 'balanced', intercept: 0, slope: 1, interceptSd: 0, residualSd: 0, covariate: { distribution: 'normal', level: 'group' } }, createStream(2));
    const rowLevel = simulateMixedData({ rows: 6, groups: 6, assignment: 'balanced', intercept: 0, slope: 1, interceptSd: 0, residualSd: 0 }, createStream(2));
    expect(Array.from(normal.X as Float64Array)).toEqual(Array.from(rowLevel.X as Float64Array).flatMap((v) => [v, v]));
  });

  it('draws group effects with the asked SDs and correlation, around the asked fixed effects (20000 groups: 4 SE bounds)', () => {
    // With no residual, each group's line through its rows is exactly intercept + b0 and slope + b1.
    const groups = 20000;
    const [sd0, sd1, rho] = [1.5, 0.5, -0.6];
    const d = simulateMixedData({ rows: 3 * groups, groups, assignment: 'balanced', intercept: 10, slope: -0.5, interceptSd: sd0, slopeSd: sd1, correlation: rho, residualSd: 0 }, createStream(5));
    const [x, y, group] = [d.X, d.response, d.group] as Float64Array[];
    const rowsOf: number[][] = Array.from({ length: groups }, () => []);
    group.forEach((g, r) => rowsOf[g].push(r));
    const a = new Float64Array(groups);
    const b = new Float64Array(groups);
    rowsOf.forEach(([r, s], g) => {
      b[g] = (y[s] - y[r]) / (x[s] - x[r]);
      a[g] = y[r] - b[g] * x[r];
    });
    const se = (sd: number): number => sd / Math.sqrt(groups);
    expect(Math.abs(mean(a) - 10)).toBeLessThan(4 * se(sd0));
    expect(Math.abs(mean(b) + 0.5)).toBeLessThan(4 * se(sd1));
    // The SE of a normal sample's SD is about sd / sqrt(2 n); of its correlation, (1 - rho^2) / sqrt(n).
    expect(Math.abs(sd(a) - sd0)).toBeLessThan(4 * se(sd0) / Math.SQRT2);
    expect(Math.abs(sd(b) - sd1)).toBeLessThan(4 * se(sd1) / Math.SQRT2);
    expect(Math.abs(cov(a, b) / (sd(a) * sd(b)) - rho)).toBeLessThan(4 * se(1 - rho * rho));
  });

  it('assigns rows to groups uniformly at random (the seed study\'s assignment)', () => {
    const [rows, groups] = [50000, 5];
    const group = simulateMixedData({ ...options, rows, groups, assignment: 'uniform' }, createStream(8)).group as Float64Array;
    const counts = new Float64Array(groups);
    for (const g of group) counts[g]++;
    // Each count is binomial(rows, 1/groups).
    const binomialSd = Math.sqrt(rows * (1 / groups) * (1 - 1 / groups));
    for (const c of counts) expect(Math.abs(c - rows / groups)).toBeLessThan(4 * binomialSd);
    expect(counts.reduce((t, c) => t + c, 0)).toBe(rows);
  });
});

describe('reseedableStream', () => {
  it('draws exactly what a fresh stream of the same seed draws', async () => {
    const { reseedableStream } = await import('../../src/rng/stream.ts');
    const streams = reseedableStream();
    const options = { rows: 300, groups: 7, intercept: 1, slope: 2, interceptSd: 1, slopeSd: 0.3, residualSd: 1 };
    for (const replicate of [3, 0, 3]) {
      const seed = replicateSeed({ seed: 9, condition: 1, replicate });
      const fresh = simulateMixedData(options, createStream(seed));
      const reused = simulateMixedData(options, streams.reseed(seed));
      expect(Array.from(reused.response as Float64Array)).toEqual(Array.from(fresh.response as Float64Array));
      expect(Array.from(reused.group as Float64Array)).toEqual(Array.from(fresh.group as Float64Array));
    }
  });
});
