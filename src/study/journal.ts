/**
 * The journal: an append-only file of newline-delimited JSON. Line 1 is the header (what was run: the
 * study's signature); every further line is one finished chunk, written whole with one write as soon as it
 * finishes. A run killed at any moment loses at most its chunks in flight; a torn last line (a write cut by
 * the kill) is recognised and cut off when the run resumes. A resumed run that asks for another number of
 * replicates per condition (`--resume --reps N`) first appends a replications record, `{"replications":N}`:
 * from then on the journal's run is of N replicates, and its tables are of replicates 0 to N - 1.
 */
import { closeSync, existsSync, ftruncateSync, openSync, readSync, writeSync, fstatSync } from 'node:fs';
import { systemErrorReason, UserError } from '../errors.ts';
import { STREAM_VERSION } from '../rng/stream.ts';
import type { ChunkResult } from './messages.ts';

/** What a journal's run is: a resumed run must match it. */
export interface JournalHeader {
  readonly format: 'mixsim-journal/1';
  readonly study: string;
  readonly seed: number;
  /** How seeds became draws ({@link STREAM_VERSION}); absent in journals of mixsim before it was recorded. */
  readonly stream?: string;
  readonly design: Readonly<Record<string, readonly (number | string | boolean)[]>>;
  readonly estimators: readonly string[];
  /** Indices of the conditions run. */
  readonly conditions: readonly number[];
  readonly replications: number;
  /** sha256 of the study file when the journal was started. */
  readonly source: string;
  /** `I/N` for a shard of a larger run, or null. */
  readonly shard: string | null;
}

/**
 * Why a journal's replicates cannot be continued or merged by this mixsim (it draws other data from the
 * same seeds), or undefined when the journal's random stream is this one's.
 */
export function streamMismatch(header: JournalHeader): string | undefined {
  if (header.stream === STREAM_VERSION) return undefined;
  return `replicates drawn by random stream ${header.stream ?? 'mt19937/1'}, while this mixsim draws ${STREAM_VERSION} (other data from the same seeds): start a new run`;
}

/** Whether two header fields (design, estimators, conditions, ...) are the same, as a journal records them. */
export function sameField(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Where one chunk's line sits in the journal file. */
export interface ChunkEntry {
  readonly condition: number;
  readonly from: number;
  readonly to: number;
  readonly offset: number;
  readonly length: number;
}

/** A journal read back: its header, the index of its chunk lines, and the length of its whole lines. */
export interface JournalScan {
  /** The header, with `replications` as the journal's last replications record set it. */
  readonly header: JournalHeader;
  readonly chunks: readonly ChunkEntry[];
  /** Bytes of complete lines; anything after is a torn last line. */
  readonly validBytes: number;
  /** Whether a torn last line follows. */
  readonly torn: boolean;
}

const CHUNK_PREFIX = /^\{"condition":(\d+),"from":(\d+),"to":(\d+),/;
const REPLICATIONS_RECORD = /^\{"replications":([1-9]\d*)\}$/;

/** One line of a chunk, formatted so that its prefix can be indexed without parsing the rows. */
export function chunkLine(chunk: ChunkResult): string {
  return `${JSON.stringify({ condition: chunk.condition, from: chunk.from, to: chunk.to, errors: chunk.errors, rows: chunk.rows })}\n`;
}

/** Reads a journal's header and indexes its chunk lines, block by block (the rows are not parsed). */
export function scanJournal(path: string): JournalScan {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const block = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    let position = 0;
    let lineStart = 0;
    let header: JournalHeader | undefined;
    let replications: number | undefined;
    const chunks: ChunkEntry[] = [];
    let lineNumber = 0;
    const onLine = (line: Buffer, offset: number): void => {
      lineNumber++;
      const text = line.toString('utf8');
      if (lineNumber === 1) {
        try { header = JSON.parse(text) as JournalHeader; } catch { header = undefined; }
        if (!header || header.format !== 'mixsim-journal/1') throw new UserError(`${path}: line 1 is not a mixsim journal header`);
        return;
      }
      const record = REPLICATIONS_RECORD.exec(text);
      if (record) { replications = Number(record[1]); return; }
      const m = CHUNK_PREFIX.exec(text.slice(0, 80));
      if (!m || !text.endsWith('}')) throw new UserError(`${path}: line ${lineNumber} is damaged (not a whole chunk record)`);
      chunks.push({ condition: Number(m[1]), from: Number(m[2]), to: Number(m[3]), offset, length: line.length });
    };
    while (position < size) {
      const read = readSync(fd, block, 0, block.length, position);
      if (read <= 0) break;
      const data = carry.length ? Buffer.concat([carry, block.subarray(0, read)]) : block.subarray(0, read);
      let start = 0;
      for (let i = data.indexOf(10); i >= 0; i = data.indexOf(10, start)) {
        onLine(data.subarray(start, i), lineStart);
        lineStart += i - start + 1;
        start = i + 1;
      }
      carry = Buffer.from(data.subarray(start));
      position += read;
    }
    if (!header) throw new UserError(`${path}: the journal has no complete header line`);
    return { header: replications === undefined ? header : { ...header, replications }, chunks, validBytes: lineStart, torn: carry.length > 0 };
  } finally {
    closeSync(fd);
  }
}

/** Reads one chunk's line back. */
export function readChunk(path: string, entry: ChunkEntry, fd?: number): ChunkResult {
  const own = fd ?? openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(entry.length);
    readSync(own, buffer, 0, entry.length, entry.offset);
    return JSON.parse(buffer.toString('utf8')) as ChunkResult;
  } finally {
    if (fd === undefined) closeSync(own);
  }
}

/** An open journal that chunks are appended to. */
export class JournalWriter {
  private constructor(private readonly path: string, private readonly fd: number, private position: number) {}

  /** Starts a new journal with its header; refuses to overwrite one. */
  static create(path: string, header: JournalHeader): JournalWriter {
    if (existsSync(path)) throw new UserError(`${path} exists already`);
    const writer = new JournalWriter(path, openSync(path, 'wx'), 0);
    writer.write(`${JSON.stringify(header)}\n`);
    return writer;
  }

  /** Opens a journal to append to, cutting off a torn last line first. */
  static resume(path: string, scan: JournalScan): JournalWriter {
    const fd = openSync(path, 'r+');
    if (scan.torn) ftruncateSync(fd, scan.validBytes);
    return new JournalWriter(path, fd, scan.validBytes);
  }

  /** Appends one finished chunk with a single write. */
  append(chunk: ChunkResult): void {
    this.write(chunkLine(chunk));
  }

  /** Appends a replications record: the run is now of `replications` replicates per condition. */
  appendReplications(replications: number): void {
    this.write(`${JSON.stringify({ replications })}\n`);
  }

  /**
   * Writes a whole line at the journal's end. A write the machine refuses (a full disk) is a one-line error
   * naming the journal: the lines before it are whole, and a line it cut short is cut off on --resume.
   */
  private write(line: string): void {
    const bytes = Buffer.from(line);
    try {
      for (let done = 0; done < bytes.length;) done += writeSync(this.fd, bytes, done, bytes.length - done, this.position + done);
    } catch (error) {
      throw new UserError(`${this.path}: cannot write the journal: ${systemErrorReason(error)}; the chunks written before are kept: make room, then rerun with --resume`);
    }
    this.position += bytes.length;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** The replicates of each condition that a journal holds already. */
export function completedReplicates(scan: JournalScan): Map<number, Uint8Array> {
  const done = new Map<number, Uint8Array>();
  for (const c of scan.chunks) {
    let marks = done.get(c.condition);
    const need = Math.max(c.to, marks?.length ?? 0);
    if (!marks || marks.length < need) {
      const grown = new Uint8Array(need);
      if (marks) grown.set(marks);
      marks = grown;
      done.set(c.condition, marks);
    }
    marks.fill(1, c.from, c.to);
  }
  return done;
}
