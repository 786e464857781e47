import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STREAM_VERSION } from '../../src/rng/stream.ts';
import { mergeShards } from '../../src/study/merge.ts';
import { runStudy } from '../../src/study/runner.ts';
import { parseShard, shardFromEnvironment, shardRanges } from '../../src/study/shard.ts';
import { root } from '../cli/run.ts';
import { tempDir } from '../tempDir.ts';

describe('shards', () => {
  it('split the condition x replicate space into contiguous blocks, each pair once', () => {
    const conditions = [0, 2, 3];
    for (const count of [1, 2, 3, 7, 40]) {
      const seen = new Map<string, number>();
      for (let index = 0; index < count; index++) {
        for (const [c, [from, to]] of shardRanges({ index, count }, conditions, 13)) {
          for (let r = from; r < to; r++) seen.set(`${c}:${r}`, (seen.get(`${c}:${r}`) ?? 0) + 1);
        }
      }
      expect(seen.size).toBe(39);
      expect([...seen.values()].every((v) => v === 1)).toBe(true);
    }
    expect([...shardRanges({ index: 1, count: 3 }, conditions, 13)]).toEqual([[2, [0, 13]]]);
  });

  it('come from the flag or the scheduler\'s environment', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(() => parseShard('5/5')).toThrow("--shard '5/5': I must be from 0 to 4");
    expect(() => parseShard('1-4')).toThrow("--shard '1-4' is not of the form I/N");
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 3, count: 4 });
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '11', SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_MAX: '13' })).toEqual({ index: 1, count: 4 });
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '8' })).toEqual({ index: 0, count: 8 });
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '0' })).toThrow(/JOB_COMPLETIONS/);
    expect(shardFromEnvironment({})).toBeUndefined();
  });
});

describe('--merge', () => {
  const studiesDir = join(root, 'test', 'fixtures', 'studies');
  const quiet = { studiesDir, progress: 'none' as const, log: () => {}, replications: 6, estimators: ['rs', 'mean'] };
  const whole = tempDir('mixsim-whole-');
  const out = tempDir('mixsim-shards-');
  const shardFile = (i: number): string => join(out, 'shards', `shard-${i}-of-3.ndjson`);

  it('lists missing, partial and duplicated shards by number, and writes nothing', async () => {
    await runStudy({ study: 'tiny', out: whole, ...quiet });
    await runStudy({ study: 'tiny', out, shard: { index: 0, count: 3 }, ...quiet });
    await runStudy({ study: 'tiny', out, shard: { index: 2, count: 3 }, ...quiet });
    await expect(mergeShards({ study: 'tiny', studiesDir, out })).rejects.toThrow(/3 shards expected in .*: missing 1; rerun them: npm run study tiny -- .* --resume --shard 1\/3/);
    await runStudy({ study: 'tiny', out, shard: { index: 1, count: 3 }, ...quiet });
    appendFileSync(shardFile(2), '{"condition":1,"from":5,"to":6,"errors":0,"rows":[[5,0,"(Interc');
    copyFileSync(shardFile(0), join(out, 'shards', 'copy-of-shard-0.ndjson'));
    await expect(mergeShards({ study: 'tiny', studiesDir, out })).rejects.toThrow(/: partial 2; duplicated 0 \(keep one journal each\); rerun them: .*--shard 2\/3$/);
    expect(existsSync(join(out, 'summary.csv'))).toBe(false);
  });

  it('refuses shards from another seed', async () => {
    await expect(mergeShards({ study: 'tiny', studiesDir, out, seed: 99 })).rejects.toThrow(/shard-0(-of-3)?\.ndjson was run with seed 7, not 99$/);
  });

  it('refuses a shard whose replicates another random stream drew', async () => {
    const other = tempDir('mixsim-shards-');
    mkdirSync(join(other, 'shards'));
    for (const i of [0, 1]) copyFileSync(shardFile(i), join(other, 'shards', `shard-${i}-of-3.ndjson`));
    const text = readFileSync(shardFile(2), 'utf8');
    writeFileSync(join(other, 'shards', 'shard-2-of-3.ndjson'), text.replace(`"stream":"${STREAM_VERSION}"`, '"stream":"mt19937/1"'));
    await expect(mergeShards({ study: 'tiny', studiesDir, out: other })).rejects.toThrow(
      /--merge: .*shard-2-of-3\.ndjson holds replicates drawn by random stream mt19937\/1, while this mixsim draws mt19937\/2 /);
  });

  it('merges to the tables of a single run once every shard is whole (a torn shard resumed)', async () => {
    const { rmSync } = await import('node:fs');
    rmSync(join(out, 'shards', 'copy-of-shard-0.ndjson'));
    const resumed = await runStudy({ study: 'tiny', out, shard: { index: 2, count: 3 }, resume: true, ...quiet });
    expect(resumed.ran).toBeLessThan(6);
    const merged = await mergeShards({ study: 'tiny', studiesDir, out });
    expect(merged.shards).toBe(3);
    expect(readFileSync(merged.replicatesCsv, 'utf8')).toBe(readFileSync(join(whole, 'replicates.csv'), 'utf8'));
    expect(readFileSync(merged.summaryCsv, 'utf8')).toBe(readFileSync(join(whole, 'summary.csv'), 'utf8'));
  });

  it("notes shards run from several versions of the study's source, or from another than the one there now", async () => {
    const other = tempDir('mixsim-shards-');
    mkdirSync(join(other, 'shards'));
    const earlier = (i: number): string => readFileSync(shardFile(i), 'utf8').replace(/"source":"[0-9a-f]{64}"/, `"source":"${'0'.repeat(64)}"`);
    const merge = async (): Promise<string[]> => {
      const notes: string[] = [];
      const merged = await mergeShards({ study: 'tiny', studiesDir, out: other, log: (line) => notes.push(line) });
      expect(readFileSync(merged.summaryCsv, 'utf8')).toBe(readFileSync(join(whole, 'summary.csv'), 'utf8'));
      return notes;
    };
    for (const i of [0, 1, 2]) copyFileSync(shardFile(i), join(other, 'shards', `shard-${i}-of-3.ndjson`));
    expect(await merge()).toEqual([]);
    writeFileSync(join(other, 'shards', 'shard-1-of-3.ndjson'), earlier(1));
    expect(await merge()).toEqual(["note: --merge: the shards were run from 2 versions of tiny's source (its study file, or a module of its own it imports, changed between them): shards 0, 2 | 1"]);
    for (const i of [0, 2]) writeFileSync(join(other, 'shards', `shard-${i}-of-3.ndjson`), earlier(i));
    expect(await merge()).toEqual(["note: --merge: tiny's study file, or a module of its own it imports, changed since the shards were run"]);
  });
});
