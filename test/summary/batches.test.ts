import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCsv } from '../../src/report/csv.ts';
import { conditions } from '../../src/study/design.ts';
import { scanJournal } from '../../src/study/journal.ts';
import { runStudy } from '../../src/study/runner.ts';
import { conditionChunks, ConditionSummary, openSources, replicateColumns, rowBatches, summariseCondition } from '../../src/summary/tables.ts';
import { root } from '../cli/run.ts';
import { tempDir } from '../tempDir.ts';

const studiesDir = join(root, 'test', 'fixtures', 'studies');
const out = tempDir('mixsim-batches-');
let run: Awaited<ReturnType<typeof runStudy>>;
let journal: ReturnType<typeof openSources>;

beforeAll(async () => {
  // Chunks of 5 replicates, run by two workers: the journal's chunks need not be in replicate order.
  run = await runStudy({ study: 'tiny', out, workers: 2, chunkSize: 5, studiesDir, progress: 'none', log: () => {} });
  journal = openSources([{ path: run.journalPath, scan: scanJournal(run.journalPath) }]);
});
afterAll(() => journal.close());

const header = () => journal.sources[0].scan.header;
const part = (condition: number) => conditionChunks(journal.sources, condition, header().replications);

describe('reading a condition in batches', () => {
  it('hands out whole chunks in replicate order, in batches of at least the size asked but the last', () => {
    for (const condition of header().conditions) {
      const whole = [...rowBatches(part(condition), header().replications, Infinity)];
      expect(whole).toHaveLength(1);
      const replicates = whole[0].map((r) => r[0]);
      expect(replicates).toEqual([...replicates].sort((a, b) => a - b));
      expect(new Set(replicates)).toEqual(new Set(Array.from({ length: 24 }, (_, r) => r)));
      const batches = [...rowBatches(part(condition), header().replications, 40)];
      expect(batches.length).toBeGreaterThan(2);
      batches.slice(0, -1).forEach((b) => expect(b.length).toBeGreaterThanOrEqual(40));
      // Whole chunks: a batch ends where a chunk of 5 replicates ends.
      batches.slice(0, -1).forEach((b) => expect(b[b.length - 1][0] % 5).toBe(4));
      expect(batches.flat()).toEqual(whole[0]);
    }
  });

  it('gives the same summary fed in batches as fed at once, and as the run wrote', () => {
    const grid = conditions(run.study.design);
    for (const condition of header().conditions) {
      const truth = run.study.truth(grid[condition].values);
      const atOnce = new ConditionSummary({ condition, estimators: header().estimators, truth, reference: 'rs' });
      const all = [...rowBatches(part(condition), header().replications, Infinity)][0];
      atOnce.add(all);
      atOnce.addCentred(all);
      const batched = new ConditionSummary({ condition, estimators: header().estimators, truth, reference: 'rs' });
      for (const rows of rowBatches(part(condition), header().replications, 7)) batched.add(rows);
      for (const rows of rowBatches(part(condition), header().replications, 11)) batched.addCentred(rows);
      expect(() => batched.add([])).toThrow(/after they were fed again/);
      const rows = batched.rows();
      expect(rows).toEqual(atOnce.rows());
      expect(rows).toEqual(run.summary.filter((r) => r.condition === condition));
      // Read once (one batch) or twice (batches of 7 rows): the same summary.
      expect(summariseCondition(part(condition), { replications: header().replications, estimators: header().estimators, truth, reference: 'rs', batchRows: 7 })).toEqual(rows);
      expect(summariseCondition(part(condition), { replications: header().replications, estimators: header().estimators, truth, reference: 'rs', batchRows: Infinity })).toEqual(rows);
      expect(rows.some((r) => Number.isFinite(r.performance.beCoverage))).toBe(true);
      // Failures are counted into the summary once, however often it is asked for; it is final.
      expect(batched.rows()).toEqual(rows);
      expect(() => batched.add([])).toThrow(/after the summary was made/);
      expect(() => batched.addCentred([])).toThrow(/after the summary was made/);
    }
  });

  it('writes replicates.csv byte for byte the same in batches of any size', async () => {
    const write = async (batchRows: number): Promise<string> => {
      const path = join(out, `replicates-${batchRows}.csv`);
      let append = false;
      for (const condition of header().conditions) {
        for (const rows of rowBatches(part(condition), header().replications, batchRows)) {
          await writeCsv(path, replicateColumns(run.study, header(), condition, rows), { append });
          append = true;
        }
      }
      return readFileSync(path, 'utf8');
    };
    const written = readFileSync(join(out, 'replicates.csv'), 'utf8');
    expect(await write(Infinity)).toBe(written);
    expect(await write(3)).toBe(written);
  });

  it('finds a condition whose journal lacks replicates, and names a replicate journaled twice', () => {
    const [first, ...rest] = journal.sources[0].scan.chunks.filter((c) => c.condition === 0);
    const lacking = { ...journal.sources[0], scan: { ...journal.sources[0].scan, chunks: rest } };
    expect(conditionChunks([lacking], 0, 24).missing).toEqual(Array.from({ length: first.to - first.from }, (_, k) => first.from + k));
    const twice = { ...journal.sources[0], scan: { ...journal.sources[0].scan, chunks: [first, ...rest, first] } };
    expect(() => conditionChunks([twice], 0, 24)).toThrow(new RegExp(`replicate ${first.from} of condition 0 is in the journal\\(s\\) twice`));
  });
});
