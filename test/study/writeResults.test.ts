/** Writing a run's tables: stopped by SIGINT or SIGTERM, it leaves no half table, and --resume writes them. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultsWriter } from '../../src/report/resultsWriter.ts';
import { scanJournal } from '../../src/study/journal.ts';
import { loadStudy } from '../../src/study/load.ts';
import { runInfo, runStudy, writeResults } from '../../src/study/runner.ts';
import { root } from '../cli/run.ts';
import { tempDir } from '../tempDir.ts';

const studiesDir = join(root, 'test', 'fixtures', 'studies');
const quiet = { studiesDir, progress: 'none' as const, log: () => {}, estimators: ['rs', 'mean'] };
const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');

describe('writeResults', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('stops at %s with one line, no replicates.csv, and the journal whole for --resume', async (signal) => {
    const whole = tempDir('mixsim-whole-');
    await runStudy({ study: 'tiny', out: whole, ...quiet });
    const out = tempDir('mixsim-stopped-');
    await runStudy({ study: 'tiny', out, ...quiet });
    for (const file of ['replicates.csv', 'summary.csv', 'report.html', 'run.json']) rmSync(join(out, file));

    const loaded = await loadStudy('tiny', studiesDir);
    const journal = join(out, 'journal.ndjson');
    const scan = scanJournal(journal);
    const results = new ResultsWriter();
    try {
      const writing = writeResults({
        study: loaded.study, journals: [{ path: journal, scan }], header: scan.header, outDir: out, results, info: () => runInfo(loaded, scan.header, 1, null),
      });
      process.emit(signal, signal); // as the signal's arrival does, while the summary is written
      await expect(writing).rejects.toThrow(`interrupted by ${signal} while writing the tables: the journal keeps the whole run; rerun with --resume to write them`);
    } finally {
      await results.close();
    }
    expect(existsSync(join(out, 'replicates.csv'))).toBe(false);
    expect(existsSync(join(out, 'replicates.csv.partial'))).toBe(false);
    expect(process.listenerCount(signal)).toBe(0);

    const resumed = await runStudy({ study: 'tiny', out, resume: true, ...quiet });
    expect(resumed.ran).toBe(0);
    expect(read(out, 'replicates.csv')).toBe(read(whole, 'replicates.csv'));
    expect(read(out, 'summary.csv')).toBe(read(whole, 'summary.csv'));
  });
});
