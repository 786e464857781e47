/**
 * runStudy: plan the replicates still to run, spread them in chunks over a piscina pool, append each
 * finished chunk to the journal, then write summary.csv, run.json, report.html and replicates.csv from the
 * journal.
 */
import { setMaxListeners } from 'node:events';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Piscina } from 'piscina';
import { makeDirectory } from '../directory.ts';
import { UserError } from '../errors.ts';
import { checkSeed } from '../rng/seed.ts';
import { STREAM_VERSION } from '../rng/stream.ts';
import { CHART_THREADS, ResultsWriter } from '../report/resultsWriter.ts';
import type { RunInfo } from '../report/html.ts';
import { versions, writeRunInfo } from '../report/runInfo.ts';
import { asUserError, closePool, typescriptPool } from '../threads/pool.ts';
import { conditionChunks, openSources, replicateColumns, rowBatches, summariseCondition, summaryColumns, type SummaryRow } from '../summary/tables.ts';
import { conditions, parseFilters, selectConditions } from './design.ts';
import { completedReplicates, JournalWriter, sameField, scanJournal, streamMismatch, type JournalHeader, type JournalScan } from './journal.ts';
import { loadStudy, studyFile, type LoadedStudy } from './load.ts';
import { shareChunks } from './chunkQueue.ts';
import type { ChunkResult, ChunkTask, WorkerSetup, WorkerTask } from './messages.ts';
import { chosenEstimators, referenceEstimator, trueValues, type Study } from './define.ts';
import { outsideShard, shardText, type Shard } from './shard.ts';
import { Progress, type ProgressMode } from './progress.ts';
import { lockJournal } from './journalLock.ts';
import { watchInterrupts } from './interrupts.ts';

/** Options of {@link runStudy}; each has a command-line flag of the same name. */
export interface RunOptions {
  /** A study's name (a file in `studiesDir`) or a path to a study file. */
  readonly study: string;
  /** Where study names are looked up. Default `studies/`. */
  readonly studiesDir?: string;
  /** Replications per condition (default: the study's). */
  readonly replications?: number;
  /** The study seed (default: the study's). */
  readonly seed?: number;
  /** Worker threads. Default: the cores available. */
  readonly workers?: number;
  /** The output folder. Default `results/<name>/`. */
  readonly out?: string;
  /** Continue the run whose journal is in the output folder. */
  readonly resume?: boolean;
  /** `factor=value` filters: run only the matching conditions. */
  readonly where?: readonly string[];
  /** Run only these estimators (default: all, in the study's order). */
  readonly estimators?: readonly string[];
  /** Stop cleanly once more than this many estimator failures were recorded. Default: never. */
  readonly maxErrors?: number;
  /** Replicates per task. Default: about 16 tasks per worker, at most 50 replicates each. */
  readonly chunkSize?: number;
  /** How progress is shown. Default: a bar on a terminal, lines otherwise. */
  readonly progress?: ProgressMode;
  /** Where messages go (the summary table, file paths). Default stdout. */
  readonly log?: (line: string) => void;
  /** Run only this shard of the condition x replicate space (see shard.ts); its journal is its own. */
  readonly shard?: Shard;
}

/** What a finished run wrote. */
export interface RunResult {
  /** The study that was run. */
  readonly study: Study;
  readonly outDir: string;
  /** The run's journal (a shard's own journal for a shard). */
  readonly journalPath: string;
  /** The result tables and report; undefined for a shard, whose tables come from --merge. */
  readonly replicatesCsv?: string;
  readonly summaryCsv?: string;
  readonly reportHtml?: string;
  readonly summary: readonly SummaryRow[];
  /** Replicates run now (0 when the journal was complete). */
  readonly ran: number;
  /** Wall seconds of the whole run. */
  readonly seconds: number;
  /** Wall seconds from the first chunk handed to the workers to the last one journaled (0 when none ran). */
  readonly replicateSeconds: number;
}

/** Where a run's and a merge's notes go unless their `log` option says otherwise: a line on stdout. */
export const printLine = (line: string): void => { process.stdout.write(`${line}\n`); };

/** Checks an option that must be a positive integer; the message names the option and its command-line flag. */
function checkPositive(value: number | undefined, option: keyof RunOptions, flag: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new UserError(`runStudy: option '${option}' (${flag}) must be a positive integer, not ${value}`);
}

/** Plans the chunks still to run: replicates of each selected condition that the journal lacks. */
export function planChunks(selected: readonly number[], replications: number, done: Map<number, Uint8Array>, chunkSize: number): ChunkTask[] {
  const tasks: ChunkTask[] = [];
  for (const condition of selected) {
    const marks = done.get(condition);
    let r = 0;
    while (r < replications) {
      if (marks && r < marks.length && marks[r]) { r++; continue; }
      const from = r;
      while (r < replications && r - from < chunkSize && !(marks && r < marks.length && marks[r])) r++;
      tasks.push({ condition, from, to: r });
    }
  }
  return tasks;
}

function describeMismatch(old: JournalHeader, now: JournalHeader): string | undefined {
  if (old.study !== now.study) return `the journal is of study '${old.study}', not '${now.study}'`;
  if (old.seed !== now.seed) return `the journal was written with seed ${old.seed}, this run has seed ${now.seed}`;
  const stream = streamMismatch(old);
  if (stream) return `the journal holds ${stream}`;
  if (!sameField(old.design, now.design)) return `the study's design changed since the journal was written (was ${JSON.stringify(old.design)})`;
  if (!sameField(old.estimators, now.estimators)) return `the estimators changed since the journal was written (were ${old.estimators.join(', ')})`;
  if (!sameField(old.conditions, now.conditions)) return `the conditions run (--where) changed since the journal was written (were ${old.conditions.join(', ')})`;
  if (old.shard !== now.shard) return `the journal is of shard ${old.shard ?? 'none'}, this run is of shard ${now.shard ?? 'none'}`;
  return undefined;
}

/**
 * Opens the journal: a new one, or the one to resume (checked against this run). A resumed run is of the
 * journal's replicates per condition unless `--reps` asks for another number: more extend the run, fewer
 * make its tables of the first ones (the journal keeps the rest). Returns the replicates per condition.
 */
function openJournal(
  path: string, header: JournalHeader, options: { resume: boolean; replications: number | undefined }, log: (line: string) => void,
): { writer: JournalWriter; scan?: JournalScan; replications: number } {
  if (!existsSync(path)) {
    // SimDesign and batchtools start a run that has nothing to resume; this one says so, as a mistyped --out
    // would otherwise run the whole study again without a word.
    if (options.resume) log(`note: --resume: no journal at ${path}; starting the run`);
    return { writer: JournalWriter.create(path, header), replications: header.replications };
  }
  if (!options.resume) throw new UserError(`${path} holds a run already: add --resume to continue it, or give another --out`);
  const scan = scanJournal(path);
  const mismatch = describeMismatch(scan.header, header);
  if (mismatch) throw new UserError(`--resume refused: ${mismatch}`);
  const was = scan.header.replications;
  const replications = options.replications ?? was;
  if (replications !== was && header.shard !== null) {
    throw new UserError(`--resume refused: a shard's replicates per condition cannot change (its journal's: ${was}, this run's: ${replications}); resume it with --reps ${was}`);
  }
  if (scan.header.source !== header.source) log(`note: ${header.study}'s study file, or a module of its own it imports, changed since the journal was started`);
  if (scan.torn) log('note: the journal\'s last chunk was cut off by the interruption; it will be run again');
  const writer = JournalWriter.resume(path, scan);
  if (replications !== was) {
    writer.appendReplications(replications);
    log(`note: ${replications} replicates per condition now, ${replications > was ? 'extending' : 'the tables of the first ones of'} the journal's ${was}`);
  }
  return { writer, scan, replications };
}

/** Runs (or resumes) a study and writes its result tables. */
export async function runStudy(given: RunOptions): Promise<RunResult> {
  const started = performance.now();
  // An estimator named twice (--estimators ri,ri) is run once.
  const options = given.estimators ? { ...given, estimators: [...new Set(given.estimators)] } : given;
  const log = options.log ?? printLine;
  checkPositive(options.replications, 'replications', '--reps');
  checkPositive(options.workers, 'workers', '--workers');
  checkPositive(options.chunkSize, 'chunkSize', '--chunk-size');
  if (options.maxErrors !== undefined && !(Number.isInteger(options.maxErrors) && options.maxErrors >= 0)) {
    throw new UserError(`runStudy: option 'maxErrors' (--max-errors) must be a non-negative integer, not ${options.maxErrors}`);
  }
  if (options.seed !== undefined) checkSeed(options.seed, "runStudy: option 'seed' (--seed)");
  const studiesDir = options.studiesDir ? resolve(options.studiesDir) : resolve('studies');
  const file = studyFile(options.study, studiesDir);
  const workers = options.workers ?? availableParallelism();
  // Threads start first: the workers load their modules while this thread reads the study. The workers then
  // draw the report's charts (resultsWriter.ts), when there are enough of them. A shard writes no tables, so
  // it starts no results writer.
  const pool = typescriptPool({
    module: new URL('./worker.ts', import.meta.url), threads: workers, eager: Math.min(workers, availableParallelism()),
    setup: { studyUrl: pathToFileURL(file).href, seed: options.seed ?? null, estimators: options.estimators ?? null } satisfies WorkerSetup,
    warmUp: null satisfies WorkerTask,
  });
  const results = options.shard ? undefined : new ResultsWriter(workers >= CHART_THREADS ? pool : undefined);
  let unlock: (() => void) | undefined;
  try {
    const loaded = await loadStudy(file, studiesDir);
    const plan = planRun(loaded, options, workers, log);
    unlock = plan.unlock;
    let ran = 0;
    const replicatesStarted = performance.now();
    try {
      if (plan.tasks.length > 0) ran = await runChunks(pool, plan.tasks, plan.writer, options, plan.remaining, workers);
    } finally {
      plan.writer.close();
    }
    const replicateSeconds = ran > 0 ? (performance.now() - replicatesStarted) / 1000 : 0;
    const seconds = (): number => (performance.now() - started) / 1000;
    if (!results) return { study: loaded.study, outDir: plan.outDir, journalPath: plan.journalPath, summary: [], ran, seconds: seconds(), replicateSeconds };
    const scan = scanJournal(plan.journalPath);
    const written = await writeResults({
      study: loaded.study, journals: [{ path: plan.journalPath, scan }], header: scan.header, outDir: plan.outDir, results,
      info: () => runInfo(loaded, scan.header, seconds(), null),
    });
    return { ...written, study: loaded.study, journalPath: plan.journalPath, ran, seconds: seconds(), replicateSeconds };
  } finally {
    unlock?.();
    await Promise.all([closePool(pool), results?.close()]);
  }
}

/** What a run will do: its journal (new or resumed) and the chunks still to run. */
interface RunPlan {
  readonly outDir: string;
  readonly journalPath: string;
  readonly writer: JournalWriter;
  readonly tasks: readonly ChunkTask[];
  /** Replicates still to run. */
  readonly remaining: number;
  /** Gives back the journal's lock, held from before the journal is opened to the end of the run. */
  readonly unlock: () => void;
}

function planRun(loaded: LoadedStudy, options: RunOptions, workers: number, log: (line: string) => void): RunPlan {
  const { study } = loaded;
  const seed = options.seed ?? study.seed;
  const estimators = chosenEstimators(study, options.estimators);
  const chosen = selectConditions(conditions(study.design), parseFilters(options.where ?? [], study.design));
  for (const c of chosen) trueValues(study, c.values); // a truth that fails, before any replicate runs
  const selected = chosen.map((c) => c.index);
  const outDir = resolve(options.out ?? join('results', loaded.name));
  const shard = options.shard;
  const journalPath = shard ? shardJournalPath(outDir, shard) : join(outDir, 'journal.ndjson');
  makeDirectory(dirname(journalPath), '--out');
  const unlock = lockJournal(journalPath);
  try {
    const header: JournalHeader = {
      format: 'mixsim-journal/1', study: loaded.name, seed, stream: STREAM_VERSION, design: study.design, estimators, conditions: selected,
      replications: options.replications ?? study.replications, source: loaded.sourceHash, shard: shard ? shardText(shard) : null,
    };
    const { writer, scan, replications } = openJournal(journalPath, header, { resume: options.resume ?? false, replications: options.replications }, log);
    const done = scan ? completedReplicates(scan) : new Map<number, Uint8Array>();
    if (shard) {
      for (const [condition, outside] of outsideShard(shard, selected, replications)) {
        const marks = done.get(condition);
        if (marks) for (let r = 0; r < Math.min(marks.length, outside.length); r++) outside[r] |= marks[r];
        done.set(condition, outside);
      }
    }
    const remaining = planChunks(selected, replications, done, Number.MAX_SAFE_INTEGER).reduce((n, t) => n + t.to - t.from, 0);
    const chunkSize = options.chunkSize ?? Math.max(1, Math.min(50, Math.ceil(remaining / (workers * 16))));
    return { outDir, journalPath, writer, tasks: planChunks(selected, replications, done, chunkSize), remaining, unlock };
  } catch (error) {
    unlock();
    throw error;
  }
}

async function runChunks(pool: Piscina, tasks: readonly ChunkTask[], writer: JournalWriter, options: RunOptions, total: number, workers: number): Promise<number> {
  const progress = new Progress(total, options.progress ?? Progress.modeFor(process.stderr));
  const abort = new AbortController();
  setMaxListeners(workers + 16, abort.signal);
  let poolError: unknown;
  pool.on('error', (error: unknown) => { poolError ??= error; abort.abort(); });
  const maxErrors = options.maxErrors ?? Infinity;
  let errors = 0;
  let ran = 0;
  let stopped: UserError | undefined;
  const interrupts = watchInterrupts();
  interrupts.signal.addEventListener('abort', () => {
    stopped ??= new UserError(`interrupted by ${String(interrupts.signal.reason)}: the journal keeps every finished chunk; rerun with --resume to continue`);
    abort.abort();
  });
  // Each finished chunk is journaled as it arrives; past --max-errors, no further chunk is started.
  const queue = shareChunks({
    pool, chunks: tasks, workers, signal: abort.signal,
    onResult: (result: ChunkResult): void => {
      if (abort.signal.aborted) return;
      writer.append(result);
      ran += result.to - result.from;
      errors += result.errors;
      progress.add(result.to - result.from);
      if (errors > maxErrors && !stopped) {
        stopped = new UserError(`stopped after ${errors} estimator failures (--max-errors ${maxErrors}); the journal keeps every finished chunk: see the error column, fix the study, then --resume`);
        queue.stop();
      }
    },
  });
  try {
    await queue.finished.catch((error: unknown) => {
      if (!abort.signal.aborted) { abort.abort(); throw asUserError(error); }
    });
  } finally {
    interrupts.release();
    progress.finish();
  }
  if (stopped) throw stopped;
  if (poolError) throw poolError;
  return ran;
}

/** run.json's record of a run. */
export function runInfo(loaded: LoadedStudy, header: JournalHeader, seconds: number, shards: number | null): RunInfo {
  return {
    study: loaded.name, description: loaded.study.description, design: header.design, seed: header.seed,
    replications: header.replications, estimators: header.estimators, reference: referenceEstimator(loaded.study), level: loaded.study.level ?? 0.95,
    seconds, created: new Date().toISOString(), versions: versions(), shards,
  };
}

/** The journal of one shard in a run's output folder. */
export function shardJournalPath(outDir: string, shard: Shard): string {
  return join(outDir, 'shards', `shard-${shard.index}-of-${shard.count}.ndjson`);
}

/** The shards' journals in a run's output folder, by name. */
export function shardJournalPaths(outDir: string): string[] {
  const dir = join(outDir, 'shards');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort().map((f) => join(dir, f)) : [];
}

/** What {@link writeResults} wrote. */
export interface WrittenResults {
  readonly outDir: string;
  readonly replicatesCsv: string;
  readonly summaryCsv: string;
  readonly reportHtml: string;
  readonly summary: SummaryRow[];
}

/** Options of {@link writeResults}. */
export interface WriteResultsOptions {
  readonly study: Study;
  /** The complete journals: one, or a run's shards. */
  readonly journals: readonly { path: string; scan: JournalScan }[];
  readonly header: JournalHeader;
  readonly outDir: string;
  readonly results: ResultsWriter;
  /** run.json's content, asked for when it is written. */
  readonly info: () => RunInfo;
}

/**
 * Writes a run's results from complete journals: summary.csv, run.json and report.html, then
 * replicates.csv, whose rows are written while the report's charts are drawn. Every condition is checked
 * to be complete before anything is written. The journals are then read condition by condition in grid
 * order, in batches of whole chunks (rowBatches), so that memory does not grow with the number of
 * replicates: twice for the summary (once where a condition's rows fit in one batch: summariseCondition),
 * and once more for replicates.csv. replicates.csv is written as replicates.csv.partial and renamed once whole, so a run stopped
 * meanwhile (SIGINT or SIGTERM: one line, exit 2; the journals keep the run) leaves no half table behind.
 */
export async function writeResults({ study, journals, header, outDir, results, info }: WriteResultsOptions): Promise<WrittenResults> {
  const grid = conditions(study.design);
  const replicatesCsv = join(outDir, 'replicates.csv');
  const partialCsv = `${replicatesCsv}.partial`;
  const summaryCsv = join(outDir, 'summary.csv');
  const { sources, close } = openSources(journals);
  const interrupts = watchInterrupts();
  const checkpoint = (): void => {
    if (!interrupts.signal.aborted) return;
    throw new UserError(`interrupted by ${String(interrupts.signal.reason)} while writing the tables: the journal keeps the whole run; rerun with --resume to write them`);
  };
  try {
    const parts = header.conditions.map((condition) => {
      const part = conditionChunks(sources, condition, header.replications);
      if (part.missing.length > 0) {
        throw new UserError(`${journals[0].path}: condition ${condition} lacks ${part.missing.length} replicate(s) (first: ${part.missing[0]}); rerun with --resume`);
      }
      return part;
    });
    const reference = referenceEstimator(study);
    const summary = parts.flatMap((part) => summariseCondition(part, {
      replications: header.replications, estimators: header.estimators, truth: trueValues(study, grid[part.condition].values), reference, checkpoint,
    }));
    await results.write(summaryCsv, summaryColumns(study, summary));
    writeRunInfo(outDir, info());
    const report = results.report(outDir);
    const replicates = (async () => {
      let append = false;
      for (const part of parts) {
        for (const rows of rowBatches(part, header.replications)) {
          checkpoint();
          await results.write(partialCsv, replicateColumns(study, header, part.condition, rows), append);
          append = true;
        }
      }
      if (!append) await results.write(partialCsv, replicateColumns(study, header, header.conditions[0], []));
      renameSync(partialCsv, replicatesCsv);
    })();
    const [drawn, written] = await Promise.allSettled([report, replicates]);
    if (written.status === 'rejected') throw written.reason;
    if (drawn.status === 'rejected') throw drawn.reason;
    return { outDir, replicatesCsv, summaryCsv, reportHtml: drawn.value, summary };
  } catch (error) {
    rmSync(partialCsv, { force: true });
    throw error;
  } finally {
    interrupts.release();
    close();
  }
}
