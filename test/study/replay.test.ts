/** --replay: one replicate run alone gives the run's rows to the last digit, and its dataset refits to them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.ts';
import { fitLmm } from '../../src/lmm/fit.ts';
import { replayReplicate } from '../../src/study/replay.ts';
import { runStudy } from '../../src/study/runner.ts';
import { root, runCli } from '../cli/run.ts';
import { tempDir } from '../tempDir.ts';

const studiesDir = join(root, 'test', 'fixtures', 'studies');
const quiet = { studiesDir, progress: 'none' as const, log: () => {} };
const lines = (path: string): string[] => readFileSync(path, 'utf8').trim().split('\n');
const out = tempDir('mixsim-replay-');

beforeAll(async () => {
  await runStudy({ study: 'tiny', out, workers: 2, chunkSize: 5, ...quiet });
});

describe('replayReplicate', () => {
  it("gives a replicate's rows of replicates.csv byte for byte, and says they are the journal's", async () => {
    const replay = await replayReplicate({ study: 'tiny', studiesDir, out, condition: 1, replicate: 7 });
    expect(replay.seedFrom).toBe('journal');
    expect(replay.journal).toEqual({ path: join(out, 'journal.ndjson'), sourceChanged: false });
    const [header, ...rows] = lines(replay.estimatesCsv);
    const run = lines(join(out, 'replicates.csv'));
    expect(header).toBe(run[0]);
    const condition = run[0].split(',').indexOf('condition');
    const mine = run.slice(1).filter((l) => { const f = l.split(','); return f[condition] === '1' && f[condition + 1] === '7'; });
    expect(mine).toHaveLength(10);
    expect(rows).toEqual(mine);
  });

  it('writes the dataset as generated, which refits to the same estimates', async () => {
    const replay = await replayReplicate({ study: 'tiny', studiesDir, out, condition: 0, replicate: 3, estimators: ['rs'] });
    const data = readCsv(replay.dataCsv!).data;
    expect(Object.keys(data)).toEqual(['response', 'X', 'group']);
    expect((data.X as Float64Array).length).toBe(120);
    const fit = fitLmm('response ~ X + (1 + X | group)', data);
    const wald = replay.rows.filter((r) => r[7] === 'wald');
    expect(wald.map((r) => r[3])).toEqual([fit.fixef['(Intercept)'], fit.fixef.X]);
    expect(wald.map((r) => r[4])).toEqual([fit.se['(Intercept)'], fit.se.X]);
  });

  it("replays a failed replicate with its error, and another seed's or a fresh folder's replicate with nothing to compare", async () => {
    const failed = await replayReplicate({ study: 'tiny', studiesDir, out, condition: 0, replicate: 12, estimators: ['flaky', 'mean'] });
    expect(failed.rows.map((r) => r[9])).toEqual(['first X is 2.158, above 1', '']);
    expect(failed.journal?.difference).toBeUndefined(); // estimators in another order and fewer: compared by name
    const reseeded = await replayReplicate({ study: 'tiny', studiesDir, out, condition: 0, replicate: 12, seed: 8 });
    expect([reseeded.seedFrom, reseeded.seed, reseeded.journal]).toEqual(['option', 8, null]);
    const fresh = await replayReplicate({ study: 'tiny', studiesDir, out: tempDir('mixsim-replay-'), condition: 0, replicate: 12 });
    expect([fresh.seedFrom, fresh.seed, fresh.journal]).toEqual(['study', 7, null]);
    expect(fresh.rows).toEqual((await replayReplicate({ study: 'tiny', studiesDir, out, condition: 0, replicate: 12 })).rows);
  });

  it("finds a sharded run's seed and the replicate in its shard's journal", async () => {
    const dir = tempDir('mixsim-replay-');
    for (const index of [0, 1]) await runStudy({ study: 'tiny', out: dir, seed: 9, shard: { index, count: 2 }, workers: 1, ...quiet });
    // Shard 1 of 2 holds the second half of the 48 (condition, replicate) pairs: condition 1's.
    const replay = await replayReplicate({ study: 'tiny', studiesDir, out: dir, condition: 1, replicate: 20 });
    expect([replay.seedFrom, replay.seed]).toEqual(['journal', 9]);
    expect(replay.journal).toEqual({ path: join(dir, 'shards', 'shard-1-of-2.ndjson'), sourceChanged: false });
  });

  it('shows a study that keeps state between calls differ from its run', async () => {
    const dir = tempDir('mixsim-replay-');
    await runStudy({ study: 'stateful', out: dir, workers: 1, ...quiet });
    const replay = await replayReplicate({ study: 'stateful', studiesDir, out: dir, condition: 0, replicate: 4 });
    expect(replay.journal?.difference).toMatch(/^counted calls: estimate \d+ in the run, \d+ in the replay$/);
  });

  it('refuses a condition the design does not have', async () => {
    await expect(replayReplicate({ study: 'tiny', studiesDir, out, condition: 2, replicate: 0 })).rejects.toThrow('--replay: the study has no condition 2 (conditions 0 to 1)');
  });
});

describe('npm run study -- --replay', () => {
  const fixture = join(studiesDir, 'tiny.ts');

  it('prints the rows, the comparison with the run, the files and how to refit the dataset in lme4', () => {
    const r = runCli('study', [fixture, '--out', out, '--replay', '1:7']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^replicate 7 of condition 1 \(groups=8 slope_sd=0\.5\), seed 7 \(the run's, from its journal\)\n\nestimator +parameter/);
    expect(r.stdout).toMatch(/\nrs +X +satterthwaite +[-\d.]+ /);
    expect(r.stdout).toContain("\nthe same rows as in the run's journal (");
    expect(r.stdout).toContain(`rs in lme4:   lme4::lmer(response ~ X + (1 + X | group), data = read.csv("${join(out, 'replay', 'condition-1-replicate-7', 'data.csv')}"), REML = TRUE)`);
  });

  it.each([
    [['--replay', '1'], "error: study: --replay must be CONDITION:REPLICATE (replicates.csv's condition and replicate), like 3:17, not '1'"],
    [['--replay', '0:1', '--workers', '2'], 'error: study: --replay goes without --workers (with --seed, --estimators and --out only)'],
    [['--replay', '0:1', '--resume'], 'error: study: --replay goes without --resume (with --seed, --estimators and --out only)'],
    [['--replay', '5:1'], 'error: --replay: the study has no condition 5 (conditions 0 to 1)'],
  ])('refuses %j in one line', (args, message) => {
    const r = runCli('study', [fixture, '--out', out, ...args]);
    expect(r.stderr).toBe(`${message}\n`);
    expect(r.code).toBe(2);
  });
});
