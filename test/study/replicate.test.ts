/** Replaying one replicate alone from what its row records (condition, replicate, seed). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../src/data/csv.ts';
import { conditions } from '../../src/study/design.ts';
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
});
