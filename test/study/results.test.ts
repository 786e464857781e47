import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults } from '../../src/report/results.ts';
import { runStudy } from '../../src/study/runner.ts';
import { REPLICATE_COLUMNS, SUMMARY_COLUMNS } from '../../src/summary/columns.ts';
import { root } from '../cli/run.ts';
import { tempDir } from '../tempDir.ts';

describe('readResults', () => {
  it('offers a run\'s tables as danfojs DataFrames', async () => {
    const out = tempDir('mixsim-results-');
    const run = await runStudy({ study: 'tiny', studiesDir: join(root, 'test', 'fixtures', 'studies'), out, replications: 5, estimators: ['mean'], progress: 'none', log: () => {} });
    const { summary, replicates } = await readResults(out);
    // tiny's two conditions (factors groups and slope_sd) x one parameter; 5 replicates each.
    expect(summary.shape).toEqual([2, 2 + SUMMARY_COLUMNS.length]);
    expect(replicates.shape).toEqual([10, 2 + REPLICATE_COLUMNS.length]);
    expect(summary.columns).toEqual(['groups', 'slope_sd', ...SUMMARY_COLUMNS]);
    const bias = summary.column('bias').values as number[];
    expect(bias[0]).toBeCloseTo(run.summary[0].performance.bias, 12);
  });

  it('names a folder without results', async () => {
    await expect(readResults(join(tmpdir(), 'no-such-results'))).rejects.toThrow(/replicates\.csv: no such file \(run the study first\)/);
  });
});
