import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults } from '../../src/report/results.ts';
import { runStudy } from '../../src/study/runner.ts';
import { root } from '../cli/run.ts';
import { tempDir } from '../tempDir.ts';

describe('readResults', () => {
  it('offers a run\'s tables as danfojs DataFrames', async () => {
    const out = tempDir('mixsim-results-');
    const run = await runStudy({ study: 'tiny', studiesDir: join(root, 'test', 'fixtures', 'studies'), out, replications: 5, estimators: ['mean'], progress: 'none', log: () => {} });
    const { summary, replicates } = await readResults(out);
    expect(summary.shape).toEqual([2, 21]);
    expect(replicates.shape).toEqual([10, 15]);
    expect(summary.columns).toContain('bias_mcse');
    const bias = summary.column('bias').values as number[];
    expect(bias[0]).toBeCloseTo(run.summary[0].performance.bias, 12);
  });

  it('names a folder without results', async () => {
    await expect(readResults(join(tmpdir(), 'no-such-results'))).rejects.toThrow(/replicates\.csv: no such file \(run the study first\)/);
  });
});
