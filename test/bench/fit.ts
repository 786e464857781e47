/**
 * The fitter's benchmark (issue 2's targets): fits of data already in memory, against lme4's lmer on the
 * same data in the same run (when R and lme4 are installed). Times are steady-state medians after a
 * warm-up (a study refits the same formula thousands of times).
 *   N = 5000, 5 groups, (1 | g): target < 0.2 ms;  (1 + x | g): < 0.5 ms;
 *   N = 1,000,000, 1000 groups, (1 + x | g): < 300 ms.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateMixedData } from '../../src/data/generate.ts';
import type { Dataset } from '../../src/data/dataset.ts';
import { fitLmm } from '../../src/lmm/fit.ts';
import { replicateStream } from '../../src/rng/stream.ts';
import { hasRPackages, medianMs, row, runR } from './timing.ts';

interface Case { label: string; rows: number; groups: number; formula: string; target: number; runs: number; batch: number; warmup: number }

const cases: Case[] = [
  { label: 'N=5000, 5 groups, (1 | g)', rows: 5000, groups: 5, formula: 'response ~ X + (1 | group)', target: 0.2, runs: 21, batch: 200, warmup: 2000 },
  { label: 'N=5000, 5 groups, (1 + X | g)', rows: 5000, groups: 5, formula: 'response ~ X + (1 + X | group)', target: 0.5, runs: 21, batch: 200, warmup: 2000 },
  { label: 'N=1e6, 1000 groups, (1 + X | g)', rows: 1_000_000, groups: 1000, formula: 'response ~ X + (1 + X | group)', target: 300, runs: 5, batch: 1, warmup: 3 },
];

function toCsv(data: Dataset): string {
  const names = Object.keys(data);
  const n = data[names[0]].length;
  const lines = [names.join(',')];
  for (let r = 0; r < n; r++) lines.push(names.map((c) => data[c][r]).join(','));
  return lines.join('\n');
}

function lme4Ms(data: Dataset, formula: string, reps: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'mixsim-bench-'));
  try {
    const file = join(dir, 'data.csv');
    writeFileSync(file, toCsv(data));
    const out = runR(`suppressMessages(library(lme4)); d <- read.csv('${file}'); d$group <- factor(d$group)
      f <- ${formula}; invisible(lmer(f, d))
      t <- system.time(for (i in 1:${reps}) lmer(f, d))[['elapsed']]; cat(1000 * t / ${reps})`);
    return Number(out.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the fitter benchmark and prints a table; returns false when a target is missed. */
export function benchFit(): boolean {
  const withR = hasRPackages('lme4');
  console.log('Fitter: one fit of data in memory (median), against lme4::lmer on the same data');
  console.log(`${'case'.padEnd(44)} ${'mixsim'.padStart(13)}  ${'lme4'.padStart(12)}`);
  let ok = true;
  for (const c of cases) {
    const data = simulateMixedData(
      { rows: c.rows, groups: c.groups, intercept: 10, slope: -0.5, interceptSd: 1, slopeSd: 0.25, residualSd: 1 },
      replicateStream({ seed: 2026, condition: 0, replicate: 0 }),
    );
    const ours = medianMs(() => fitLmm(c.formula, data), { warmup: c.warmup, runs: c.runs, batch: c.batch });
    const reference = withR ? lme4Ms(data, c.formula, c.rows > 100_000 ? 1 : 20) : undefined;
    const met = ours < c.target;
    ok &&= met;
    console.log(`${row(c.label, ours, reference)}   target < ${c.target} ms: ${met ? 'met' : 'MISSED'}`);
  }
  if (!withR) console.log('(lme4 not installed: apt-get install -y r-cran-lme4 to print its times and the ratios)');
  return ok;
}
