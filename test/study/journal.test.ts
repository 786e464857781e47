/** The journal's writer: whole lines, and a write the machine refuses as one line naming the journal. */
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalWriter, scanJournal, type JournalHeader } from '../../src/study/journal.ts';
import { STREAM_VERSION } from '../../src/rng/stream.ts';
import { tempDir } from '../tempDir.ts';

const header: JournalHeader = {
  format: 'mixsim-journal/1', study: 'tiny', seed: 7, stream: STREAM_VERSION, design: { groups: [4] }, estimators: ['mean'], conditions: [0],
  replications: 2, source: 'abc', shard: null,
};
const chunk = { condition: 0, from: 0, to: 2, errors: 0, rows: [[0, 0, 'mean', 1.5, null, null, null, '', 1, ''], [1, 0, 'mean', 0.5, null, null, null, '', 1, '']] as never };

describe('JournalWriter', () => {
  it('writes the header and whole chunk lines, which a scan reads back, and appends after a resume', () => {
    const path = join(tempDir('mixsim-journal-'), 'journal.ndjson');
    const writer = JournalWriter.create(path, header);
    writer.append(chunk);
    writer.close();
    const resumed = JournalWriter.resume(path, scanJournal(path));
    resumed.appendReplications(4);
    resumed.append({ ...chunk, from: 2, to: 4 });
    resumed.close();
    const scan = scanJournal(path);
    expect(scan.header.replications).toBe(4);
    expect(scan.chunks.map((c) => [c.from, c.to])).toEqual([[0, 2], [2, 4]]);
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(5);
  });

  it.skipIf(!existsSync('/dev/full'))('names the journal when the disk is full, and says what is kept', () => {
    const path = join(tempDir('mixsim-journal-'), 'journal.ndjson');
    symlinkSync('/dev/full', path); // every write to it fails with ENOSPC
    const writer = JournalWriter.resume(path, { header, chunks: [], validBytes: 0, torn: false });
    try {
      expect(() => writer.append(chunk)).toThrow(
        `${path}: cannot write the journal: no space left on device (ENOSPC); the chunks written before are kept: make room, then rerun with --resume`,
      );
    } finally {
      writer.close();
    }
  });
});
