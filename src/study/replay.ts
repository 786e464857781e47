/**
 * `--replay C:R`: one replicate run again alone, in this thread, as a run ran it. Its dataset (as `generate`
 * gave it) and its rows (replicates.csv's columns) are written beside the run's results, so that a failed,
 * singular or odd fit can be looked at, or fitted again in lme4; and where the run's journal holds the
 * replicate, the rows are compared with the journal's, which shows whether the replicate is a function of
 * (seed, condition, replicate) alone, as it must be.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeDirectory } from '../directory.ts';
import { UserError } from '../errors.ts';
import { writeCsv, type Columns } from '../report/csv.ts';
import { replicateColumns } from '../summary/tables.ts';
import { chosenEstimators, type Study } from './define.ts';
import { conditions, type IndexedCondition } from './design.ts';
import { readChunk, scanJournal, streamMismatch, type ChunkEntry, type JournalScan } from './journal.ts';
import { loadStudy } from './load.ts';
import type { CompactRow } from './messages.ts';
import { appendCompactRows, replicateData, replicateRows } from './replicate.ts';
import { shardJournalPaths } from './runner.ts';
import type { Dataset } from '../data/dataset.ts';

/** What to replay. */
export interface ReplayOptions {
  /** A study's name (in `studiesDir`) or file. */
  readonly study: string;
  /** The condition's index in the design's grid (replicates.csv's `condition`). */
  readonly condition: number;
  /** The replicate (replicates.csv's `replicate`). */
  readonly replicate: number;
  /** The study seed. Default: the run's, from its journal in `out`; else the study's. */
  readonly seed?: number;
  /** The estimators to run. Default: the run's, from its journal; else all. */
  readonly estimators?: readonly string[];
  /** The run's output folder. Default `results/<name>/`. */
  readonly out?: string;
  /** Where study names are looked up. Default `studies/`. */
  readonly studiesDir?: string;
}

/** How the replayed rows compare with those of the run's journal. */
export interface JournalComparison {
  readonly path: string;
  /** The first row that differs (estimator, parameter and field), or undefined when every row is the same. */
  readonly difference?: string;
  /** Whether the study's source changed since the journal was started (a difference is then no surprise). */
  readonly sourceChanged: boolean;
}

/** A replayed replicate. */
export interface Replay {
  readonly study: Study;
  readonly name: string;
  readonly condition: IndexedCondition;
  readonly replicate: number;
  readonly seed: number;
  /** Where the seed came from. */
  readonly seedFrom: 'option' | 'journal' | 'study';
  readonly estimators: readonly string[];
  /** The rows, in the journal's compact form (estimators by index into `estimators`). */
  readonly rows: readonly CompactRow[];
  /** The comparison with the run's journal (or its shard's), or null where none holds this replicate with this seed. */
  readonly journal: JournalComparison | null;
  /** The dataset's CSV, or null where `generate` failed (the rows record its error). */
  readonly dataCsv: string | null;
  readonly estimatesCsv: string;
}

/** Replays one replicate and writes its dataset and rows into `<out>/replay/condition-C-replicate-R/`. */
export async function replayReplicate(options: ReplayOptions): Promise<Replay> {
  const loaded = await loadStudy(options.study, options.studiesDir);
  const { study } = loaded;
  const grid = conditions(study.design);
  const condition = grid[options.condition];
  if (!condition) throw new UserError(`--replay: the study has no condition ${options.condition} (conditions 0 to ${grid.length - 1})`);
  const outDir = resolve(options.out ?? join('results', loaded.name));
  const journals = [join(outDir, 'journal.ndjson'), ...shardJournalPaths(outDir)].filter((path) => existsSync(path)).map((path) => ({ path, scan: scanJournal(path) }));
  const run = journals[0]?.scan.header;
  const seed = options.seed ?? run?.seed ?? study.seed;
  const seedFrom = options.seed !== undefined ? 'option' : run ? 'journal' : 'study';
  const estimators = chosenEstimators(study, options.estimators ?? run?.estimators);

  const rows: CompactRow[] = [];
  appendCompactRows(rows, options.replicate, replicateRows(study, condition, options.replicate, { seed, estimators }));
  // Generated again, as the estimators got it: the last of them analyses the dataset itself, and may change it.
  let data: Dataset | null = null;
  try { data = replicateData(study, condition, options.replicate, seed); } catch { /* the rows record generate's error */ }

  const dir = join(outDir, 'replay', `condition-${condition.index}-replicate-${options.replicate}`);
  makeDirectory(dir, '--out');
  const dataCsv = data ? join(dir, 'data.csv') : null;
  if (data) await writeCsv(join(dir, 'data.csv'), datasetColumns(data));
  const estimatesCsv = join(dir, 'estimates.csv');
  await writeCsv(estimatesCsv, replicateColumns(study, { estimators, seed }, condition.index, rows));
  // The journal (the run's, or a shard's) that holds the replicate, drawn with this seed by this stream.
  const holding = journals.find(({ scan }) => scan.header.seed === seed && !streamMismatch(scan.header) && chunkOf(scan.chunks, condition.index, options.replicate));
  const journal = holding
    ? compareWithJournal(holding.path, holding.scan, { condition: condition.index, replicate: options.replicate, estimators, rows, sourceChanged: holding.scan.header.source !== loaded.sourceHash })
    : null;
  return { study, name: loaded.name, condition, replicate: options.replicate, seed, seedFrom, estimators, rows, journal, dataCsv, estimatesCsv };
}

/**
 * A dataset's columns as CSV columns: numbers as they are (NaN for missing), text with NA for missing. What
 * is not a column (a value `generate` added beside them) is left out.
 */
function datasetColumns(data: Dataset): Columns {
  const out: Columns = {};
  for (const [name, column] of Object.entries(data)) {
    if (Array.isArray(column) || ArrayBuffer.isView(column)) out[name] = Array.from(column as ArrayLike<number | string | null | undefined>, (v) => v ?? 'NA');
  }
  return out;
}

/**
 * The replayed rows against the journal's rows of the same replicate, estimator by estimator (those both
 * ran): the first field that differs, if one does.
 */
function compareWithJournal(
  path: string, scan: JournalScan,
  replay: { condition: number; replicate: number; estimators: readonly string[]; rows: readonly CompactRow[]; sourceChanged: boolean },
): JournalComparison {
  const entry = chunkOf(scan.chunks, replay.condition, replay.replicate)!;
  const run = rowsByEstimator(readChunk(path, entry).rows.filter((r) => r[0] === replay.replicate), scan.header.estimators);
  const again = rowsByEstimator(replay.rows, replay.estimators);
  const difference = firstDifference(run, again);
  return { path, ...(difference !== undefined && { difference }), sourceChanged: replay.sourceChanged };
}

/** The chunk that holds a replicate of a condition, if one does. */
function chunkOf(chunks: readonly ChunkEntry[], condition: number, replicate: number): ChunkEntry | undefined {
  return chunks.find((c) => c.condition === condition && c.from <= replicate && replicate < c.to);
}

/** Rows by their estimator's name. */
function rowsByEstimator(rows: readonly CompactRow[], estimators: readonly string[]): Map<string, CompactRow[]> {
  const out = new Map<string, CompactRow[]>();
  for (const r of rows) {
    const name = estimators[r[1]];
    const list = out.get(name);
    if (list) list.push(r);
    else out.set(name, [r]);
  }
  return out;
}

/** CompactRow's fields, by position. */
const FIELDS = ['replicate', 'estimator', 'parameter', 'estimate', 'se', 'ci_lower', 'ci_upper', 'ci_method', 'flags', 'error'];

/** The first difference between two estimators' rows (the estimator index aside), for the estimators in both. */
function firstDifference(run: ReadonlyMap<string, CompactRow[]>, again: ReadonlyMap<string, CompactRow[]>): string | undefined {
  for (const [estimator, rows] of again) {
    const theirs = run.get(estimator);
    if (!theirs) continue;
    if (theirs.length !== rows.length) return `${estimator}: ${theirs.length} rows in the run, ${rows.length} in the replay`;
    for (let i = 0; i < rows.length; i++) {
      const k = rows[i].findIndex((v, j) => j !== 1 && v !== theirs[i][j]);
      if (k >= 0) {
        const what = `${estimator} ${theirs[i][2] || '(error)'}${theirs[i][7] ? ` ${theirs[i][7]}` : ''}`;
        return `${what}: ${FIELDS[k]} ${JSON.stringify(theirs[i][k])} in the run, ${JSON.stringify(rows[i][k])} in the replay`;
      }
    }
  }
  return undefined;
}
