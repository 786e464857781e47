/**
 * The cost of Satterthwaite df against the fit itself (issue 6: well under the fit, for one grouping
 * factor with up to 3 random effects). A fit that is not asked for df does not compute them.
 */
import { simulateMixedData } from '../../src/data/generate.ts';
import { fitLmm } from '../../src/lmm/fit.ts';
import { replicateStream } from '../../src/rng/stream.ts';
import { medianPairMs } from './timing.ts';

const cases = [
  { label: 'N=5000, 5 groups, (1 | g)', groups: 5, formula: 'response ~ X + (1 | group)' },
  { label: 'N=5000, 5 groups, (1 + X | g)', groups: 5, formula: 'response ~ X + (1 + X | group)' },
  { label: 'N=5000, 50 groups, (1 + X + Z | g)', groups: 50, formula: 'response ~ X + Z + (1 + X + Z | group)' },
];

/** Prints the fit's time, the fit with df, and their ratio; returns false when df cost more than the fit. */
export function benchSatterthwaite(): boolean {
  console.log('\nSatterthwaite df: their extra cost against the fit alone (median ms)');
  let ok = true;
  for (const c of cases) {
    const base = simulateMixedData({ rows: 5000, groups: c.groups, intercept: 10, slope: -0.5, interceptSd: 1, slopeSd: 0.3, residualSd: 1 }, replicateStream({ seed: 3, condition: 0, replicate: 0 }));
    const z = replicateStream({ seed: 4, condition: 0, replicate: 0 });
    const data = { ...base, Z: Float64Array.from({ length: 5000 }, () => z.normal()) };
    // Interleaved: the df's cost is a small difference of two close timings.
    const [fit, both] = medianPairMs(() => fitLmm(c.formula, data), () => fitLmm(c.formula, data).satterthwaite(), { warmup: 500, runs: 31, batch: 100 });
    const extra = both - fit;
    ok &&= extra < fit;
    console.log(`${c.label.padEnd(38)} fit ${fit.toFixed(4)} ms, fit + df ${both.toFixed(4)} ms: df cost ${(100 * extra / fit).toFixed(0)} % of the fit`);
  }
  return ok;
}
