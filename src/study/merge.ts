/**
 * --merge: the shards of a run (results/<name>/shards/*.ndjson) into replicates.csv and summary.csv,
 * byte-for-byte the tables of a single-machine run with the same seed. Missing, partial (an incomplete or
 * torn journal) and duplicated shards are listed by number with the command that reruns only those, and
 * nothing is written.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { ResultsWriter } from '../report/resultsWriter.ts';
import type { SummaryRow } from '../summary/tables.ts';
import type { Study } from './define.ts';
import { completedReplicates, sameField, scanJournal, streamMismatch, type JournalHeader, type JournalScan } from './journal.ts';
import { loadStudy } from './load.ts';
import { printLine, runInfo, shardJournalPaths, writeResults } from './runner.ts';
import { parseShard, shardRanges, type Shard } from './shard.ts';

/** Options of {@link mergeShards}. */
export interface MergeOptions {
  /** The study's name or path. */
  readonly study: string;
  readonly studiesDir?: string;
  /** The output folder the shards wrote to. Default `results/<name>/`. */
  readonly out?: string;
  /** The seed the shards must have been run with (default: the study's). */
  readonly seed?: number;
  /** How to rerun a shard, for the message about missing ones: the flags after `--`. */
  readonly rerunFlags?: readonly string[];
  /** Where notes go. Default stdout. */
  readonly log?: (line: string) => void;
}

/** What a merge wrote. */
export interface MergeResult {
  readonly study: Study;
  readonly shards: number;
  readonly replicatesCsv: string;
  readonly summaryCsv: string;
  readonly summary: readonly SummaryRow[];
  readonly reportHtml: string;
}

interface ShardJournal { readonly path: string; readonly scan: JournalScan; readonly shard: Shard }

/** Whether a shard's journal holds every replicate of its share, whole. */
function isComplete(j: ShardJournal): boolean {
  if (j.scan.torn) return false;
  const { header } = j.scan;
  const done = completedReplicates(j.scan);
  for (const [condition, [from, to]] of shardRanges(j.shard, header.conditions, header.replications)) {
    const marks = done.get(condition);
    for (let r = from; r < to; r++) if (!marks || !marks[r]) return false;
  }
  return true;
}

/** Checks that every shard's header matches the first's and the study's; returns the common header. */
function commonHeader(journals: readonly ShardJournal[], study: Study, seed: number): JournalHeader {
  const first = journals[0].scan.header;
  for (const j of journals) {
    const h = j.scan.header;
    const where = `--merge: ${j.path}`;
    if (j.shard.count !== journals[0].shard.count) throw new UserError(`${where} is shard ${h.shard}, but ${journals[0].path} is of ${journals[0].shard.count} shards`);
    if (!sameField(h.design, study.design)) throw new UserError(`${where} was run with another design (${JSON.stringify(h.design)}) than the study's`);
    if (h.seed !== seed) throw new UserError(`${where} was run with seed ${h.seed}, not ${seed}`);
    const stream = streamMismatch(h);
    if (stream) throw new UserError(`${where} holds ${stream}`);
    for (const key of ['study', 'estimators', 'conditions', 'replications'] as const) {
      if (!sameField(h[key], first[key])) throw new UserError(`${where} differs from ${journals[0].path} in its ${key}`);
    }
  }
  return first;
}

/**
 * A note when the shards were not all run from the study's source as it is now (its file, or a module of
 * its own it imports: load.ts): from several versions of it, whose replicates may differ in kind, or all
 * from an earlier one. Undefined when they all match it.
 */
function sourceNote(journals: readonly ShardJournal[], name: string, now: string): string | undefined {
  const bySource = new Map<string, number[]>();
  for (const j of journals) bySource.set(j.scan.header.source, [...(bySource.get(j.scan.header.source) ?? []), j.shard.index]);
  if (bySource.size > 1) {
    const groups = [...bySource.values()].map((shards) => shards.sort((a, b) => a - b).join(', '));
    return `note: --merge: the shards were run from ${bySource.size} versions of ${name}'s source (its study file, or a module of its own it imports, changed between them): shards ${groups.join(' | ')}`;
  }
  return bySource.has(now) ? undefined : `note: --merge: ${name}'s study file, or a module of its own it imports, changed since the shards were run`;
}

/** Merges a run's shards into its result tables (see the file's comment). */
export async function mergeShards(options: MergeOptions): Promise<MergeResult> {
  const started = performance.now();
  const loaded = await loadStudy(options.study, options.studiesDir ? resolve(options.studiesDir) : undefined);
  const { study } = loaded;
  const outDir = resolve(options.out ?? join('results', loaded.name));
  const paths = shardJournalPaths(outDir);
  if (paths.length === 0) throw new UserError(`--merge: no shard journals in ${join(outDir, 'shards')} (run the shards first, with --shard I/N)`);
  const journals = paths.map((path) => {
    const scan = scanJournal(path);
    if (scan.header.shard === null) throw new UserError(`--merge: ${path} is not a shard's journal`);
    return { path, scan, shard: parseShard(scan.header.shard, `${path}: shard`) };
  });
  const header = commonHeader(journals, study, options.seed ?? study.seed);
  const count = journals[0].shard.count;
  const byIndex = new Map<number, ShardJournal[]>();
  for (const j of journals) byIndex.set(j.shard.index, [...(byIndex.get(j.shard.index) ?? []), j]);
  const missing: number[] = [];
  const partial: number[] = [];
  const duplicated: number[] = [];
  for (let i = 0; i < count; i++) {
    const found = byIndex.get(i) ?? [];
    if (found.length === 0) missing.push(i);
    else if (found.length > 1) duplicated.push(i);
    else if (!isComplete(found[0])) partial.push(i);
  }
  if (missing.length || partial.length || duplicated.length) {
    const problems = [
      missing.length ? `missing ${missing.join(', ')}` : '',
      partial.length ? `partial ${partial.join(', ')}` : '',
      duplicated.length ? `duplicated ${duplicated.join(', ')} (keep one journal each)` : '',
    ].filter(Boolean).join('; ');
    const rerun = [...missing, ...partial].sort((a, b) => a - b);
    const flags = (options.rerunFlags ?? ['--out', relative(process.cwd(), outDir) || '.']).join(' ');
    const command = rerun.length
      ? `; rerun them: ${rerun.map((i) => `npm run study ${options.study} -- ${flags} --resume --shard ${i}/${count}`).join(' ; ')}${existsSync(join(outDir, 'slurm', 'array.sbatch')) ? ` (on Slurm: sbatch --array=${rerun.join(',')} ${join(relative(process.cwd(), outDir) || '.', 'slurm', 'array.sbatch')})` : ''}`
      : '';
    throw new UserError(`--merge: ${count} shards expected in ${join(outDir, 'shards')}: ${problems}${command}`);
  }
  const ordered = [...journals].sort((a, b) => a.shard.index - b.shard.index);
  const note = sourceNote(ordered, header.study, loaded.sourceHash);
  if (note) (options.log ?? printLine)(note);
  const results = new ResultsWriter();
  try {
    const written = await writeResults({
      study, journals: ordered, header, outDir, results, info: () => runInfo(loaded, header, (performance.now() - started) / 1000, count),
    });
    return { study, shards: count, ...written };
  } finally {
    await results.close();
  }
}
