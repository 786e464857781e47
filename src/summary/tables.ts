/**
 * The journal -> the two result tables: replicates.csv (one row per condition x replicate x estimator x
 * parameter) and summary.csv (one row per condition x estimator x parameter). Condition by condition in grid
 * order, replicates in order within a condition, so that the tables do not depend on which worker finished
 * what first; rows are read in batches of whole chunks, so that memory does not grow with the number of
 * replicates.
 */
import { closeSync, openSync } from 'node:fs';
import { UserError } from '../errors.ts';
import { conditions } from '../study/design.ts';
import type { Study } from '../study/define.ts';
import { readChunk, type ChunkEntry, type JournalHeader, type JournalScan } from '../study/journal.ts';
import type { CompactRow } from '../study/messages.ts';
import { PerformanceAccumulator, type Performance } from './performance.ts';
import { PairedEstimates, relativePrecision } from './relativePrecision.ts';
import type { Columns } from '../report/csv.ts';

/** Where one condition's rows are: its journal chunks in replicate order, each replicate in at most one. */
export interface ConditionChunks {
  readonly condition: number;
  /** The chunks, by first replicate. */
  readonly chunks: readonly { readonly source: JournalSource; readonly entry: ChunkEntry }[];
  /** Replicates of [0, replications) in no chunk. */
  readonly missing: number[];
}

/** A journal to read rows from: its path, its scan and an open descriptor. */
export interface JournalSource {
  readonly path: string;
  readonly scan: JournalScan;
  readonly fd: number;
}

/** Opens journals for reading; `close` closes them all. */
export function openSources(journals: readonly { path: string; scan: JournalScan }[]): { sources: JournalSource[]; close: () => void } {
  const sources = journals.map((j) => ({ ...j, fd: openSync(j.path, 'r') }));
  return { sources, close: () => sources.forEach((s) => closeSync(s.fd)) };
}

/**
 * Finds one condition's chunks in one or more journals (the shards of a run), from their scans alone (no
 * rows are read); a replicate in two chunks is an error naming the journal.
 */
export function conditionChunks(sources: readonly JournalSource[], condition: number, replications: number): ConditionChunks {
  const chunks = sources
    .flatMap((source) => source.scan.chunks.filter((c) => c.condition === condition && c.from < replications).map((entry) => ({ source, entry })))
    .sort((a, b) => a.entry.from - b.entry.from);
  const seen = new Uint8Array(replications);
  for (const { source, entry } of chunks) {
    for (let r = entry.from; r < Math.min(entry.to, replications); r++) {
      if (seen[r]) throw new UserError(`${source.path}: replicate ${r} of condition ${condition} is in the journal(s) twice`);
      seen[r] = 1;
    }
  }
  const missing: number[] = [];
  for (let r = 0; r < replications; r++) if (!seen[r]) missing.push(r);
  return { condition, chunks, missing };
}

/**
 * Rows per batch of {@link rowBatches}: memory holds about this many rows, however many replicates a run has.
 * Small enough that a batch's rows, columns and CSV text die young: the main thread of a 20,000-replicate
 * seed-condition run spent 0.4 s collecting garbage with batches of 50,000 rows, and its tables took about
 * 0.2 s less to write with batches of 5,000.
 */
export const BATCH_ROWS = 5_000;

/**
 * A condition's rows in replicate order, read chunk by chunk and handed out in batches of whole chunks, each
 * of at least `batchRows` rows but the last: memory holds one batch at a time.
 */
export function* rowBatches(part: ConditionChunks, replications: number, batchRows = BATCH_ROWS): Generator<CompactRow[]> {
  let batch: CompactRow[] = [];
  for (const { source, entry } of part.chunks) {
    for (const row of readChunk(source.path, entry, source.fd).rows) if (row[0] < replications) batch.push(row);
    if (batch.length >= batchRows) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

const num = (v: number | null): number => (v === null ? NaN : v);

/**
 * One summary row: the condition's index, estimator, parameter, interval method, its performance and its
 * relative precision against the reference estimator (relativePrecision.ts).
 */
export interface SummaryRow {
  readonly condition: number;
  readonly estimator: string;
  readonly parameter: string;
  readonly ciMethod: string;
  readonly performance: Performance;
  /** (EmpSE_ref / EmpSE)^2 - 1; NaN where the reference did not run or does not report the parameter. */
  readonly relPrecision: number;
  readonly relPrecisionMcse: number;
  /** The first replicate (in replicate order) in which this condition's estimator failed, and its error. */
  readonly firstFailure?: Failure;
}

/** A replicate in which an estimator (or the data's generation) failed, and its error message. */
export interface Failure {
  readonly replicate: number;
  readonly error: string;
}

/** What a {@link ConditionSummary} summarises. */
export interface ConditionSummaryOptions {
  /** The condition's index in the design's grid. */
  readonly condition: number;
  /** The run's estimators, in their order (a row's estimator is an index into them). */
  readonly estimators: readonly string[];
  /** The condition's true values. */
  readonly truth: Readonly<Record<string, number>>;
  /** The estimator the others' relative precision is measured against; none where left out or not run. */
  readonly reference?: string;
}

/** One estimator's accumulators for one (parameter, interval method). */
interface Entry {
  readonly parameter: string;
  readonly ciMethod: string;
  readonly acc: PerformanceAccumulator;
  /** Its estimates paired with the reference's estimate of the parameter in the same replicate. */
  readonly paired: PairedEstimates;
}

/**
 * The summary of one condition, fed its rows in replicate order (in as many batches as it takes):
 * estimators in their order, (parameter, interval method) pairs in order of first appearance. Then, for
 * bias-eliminated coverage, the same rows again (`addCentred`), once every estimate is in. For relative
 * precision, each replicate's estimates are paired with the reference estimator's estimate of the same
 * parameter in that replicate (its first row of it, whatever its interval method), once the replicate's
 * rows are all in.
 */
export class ConditionSummary {
  private readonly condition: number;
  private readonly estimators: readonly string[];
  private readonly truth: Readonly<Record<string, number>>;
  /** The reference estimator's index, or -1. */
  private readonly reference: number;
  private readonly byEstimator: Map<string, Entry>[];
  private readonly failures: number[];
  private readonly firstFailures: (Failure | undefined)[];
  /** The replicate being added; its estimates, until they are paired; and the reference's, by parameter. */
  private replicate = -1;
  private readonly unpairedEntries: Entry[] = [];
  private readonly unpairedEstimates: number[] = [];
  private readonly referenceEstimates = new Map<string, number>();
  private summary?: SummaryRow[];
  private centring = false;

  constructor({ condition, estimators, truth, reference }: ConditionSummaryOptions) {
    this.condition = condition;
    this.estimators = estimators;
    this.truth = truth;
    this.reference = reference === undefined ? -1 : estimators.indexOf(reference);
    this.byEstimator = estimators.map(() => new Map());
    this.failures = estimators.map(() => 0);
    this.firstFailures = estimators.map(() => undefined);
  }

  /** Adds rows (the next ones in replicate order). */
  add(rows: readonly CompactRow[]): void {
    if (this.summary) throw new Error('ConditionSummary: rows added after the summary was made');
    if (this.centring) throw new Error('ConditionSummary: rows added after they were fed again');
    for (const [replicate, e, parameter, estimate, se, lower, upper, ciMethod, flags, error] of rows) {
      if (replicate !== this.replicate) this.pairReplicate(replicate);
      if (error) {
        this.failures[e]++;
        this.firstFailures[e] ??= { replicate, error };
        continue;
      }
      const map = this.byEstimator[e];
      const key = `${parameter}\u0000${ciMethod}`;
      let entry = map.get(key);
      if (!entry) {
        entry = { parameter, ciMethod, acc: new PerformanceAccumulator(this.truth[parameter] ?? NaN), paired: new PairedEstimates() };
        map.set(key, entry);
      }
      entry.acc.add(num(estimate), num(se), num(lower), num(upper), (flags & 1) === 1, (flags & 2) === 2);
      if (this.reference >= 0) {
        if (e === this.reference && !this.referenceEstimates.has(parameter)) this.referenceEstimates.set(parameter, num(estimate));
        this.unpairedEntries.push(entry);
        this.unpairedEstimates.push(num(estimate));
      }
    }
  }

  /**
   * Pairs the estimates of the replicate added so far with the reference's estimates of the same parameters
   * (where both are finite), and goes on to replicate `next`.
   */
  private pairReplicate(next: number): void {
    if (next < this.replicate) throw new Error(`ConditionSummary: replicate ${next} added after replicate ${this.replicate}`);
    for (let i = 0; i < this.unpairedEntries.length; i++) {
      const entry = this.unpairedEntries[i];
      const estimate = this.unpairedEstimates[i];
      const reference = this.referenceEstimates.get(entry.parameter);
      if (reference !== undefined && Number.isFinite(reference) && Number.isFinite(estimate)) entry.paired.add(reference, estimate);
    }
    this.unpairedEntries.length = 0;
    this.unpairedEstimates.length = 0;
    this.referenceEstimates.clear();
    this.replicate = next;
  }

  /** Adds the rows again, all of them added before, in any batches: their intervals against the mean estimates. */
  addCentred(rows: readonly CompactRow[]): void {
    if (this.summary) throw new Error('ConditionSummary: rows fed again after the summary was made');
    if (!this.centring) this.pairReplicate(Infinity);
    this.centring = true;
    for (const [, e, parameter, estimate, , lower, upper, ciMethod, , error] of rows) {
      if (error) continue;
      this.byEstimator[e].get(`${parameter}\u0000${ciMethod}`)?.acc.addCentred(num(estimate), num(lower), num(upper));
    }
  }

  /** The summary rows of all rows added; no rows can be added after. */
  rows(): SummaryRow[] {
    if (this.summary) return this.summary;
    this.pairReplicate(Infinity);
    const performances = this.byEstimator.map((map, e) => {
      if (map.size === 0 && this.failures[e] > 0) map.set('', { parameter: '', ciMethod: '', acc: new PerformanceAccumulator(NaN), paired: new PairedEstimates() });
      return [...map.values()].map((entry) => {
        for (let k = 0; k < this.failures[e]; k++) entry.acc.addFailure();
        return { entry, performance: entry.acc.result() };
      });
    });
    // The reference's empirical SE of each parameter, from its first (parameter, interval method) entry.
    const referenceEmpSe = new Map<string, number>();
    for (const { entry, performance } of performances[this.reference] ?? []) {
      if (!referenceEmpSe.has(entry.parameter)) referenceEmpSe.set(entry.parameter, performance.empSe);
    }
    const out: SummaryRow[] = [];
    performances.forEach((entries, e) => {
      const firstFailure = this.firstFailures[e];
      for (const { entry: { parameter, ciMethod, paired }, performance } of entries) {
        const { relPrecision, relPrecisionMcse } = relativePrecision({
          referenceEmpSe: referenceEmpSe.get(parameter) ?? NaN, empSe: performance.empSe, n: performance.nReps, correlation: paired.correlation(),
        });
        out.push({ condition: this.condition, estimator: this.estimators[e], parameter, ciMethod, performance, relPrecision, relPrecisionMcse, ...(firstFailure && { firstFailure }) });
      }
    });
    this.summary = out;
    return out;
  }
}

/** What {@link summariseCondition} summarises a condition's rows with. */
export interface SummariseOptions extends Omit<ConditionSummaryOptions, 'condition'> {
  /** The run's replications: rows of later replicates are left out. */
  readonly replications: number;
  /** Runs before each batch (a run's interrupt check). */
  readonly checkpoint?: () => void;
  /** Rows per batch. Default {@link BATCH_ROWS}. */
  readonly batchRows?: number;
}

/**
 * The summary rows of one condition, from its rows read in two passes ({@link ConditionSummary}); a
 * condition whose rows fit in one batch is read once, its batch kept for the second pass.
 */
export function summariseCondition(
  part: ConditionChunks, { replications, estimators, truth, reference, checkpoint = () => {}, batchRows = BATCH_ROWS }: SummariseOptions,
): SummaryRow[] {
  const summary = new ConditionSummary({ condition: part.condition, estimators, truth, reference });
  let batches = 0;
  let first: CompactRow[] = [];
  for (const rows of rowBatches(part, replications, batchRows)) {
    checkpoint();
    summary.add(rows);
    if (++batches === 1) first = rows;
  }
  // Beyond one batch, the rows are read again, so that memory holds one batch at a time.
  const again = batches === 1 ? [first] : rowBatches(part, replications, batchRows);
  for (const rows of again) {
    checkpoint();
    summary.addCentred(rows);
  }
  return summary.rows();
}

/** The design factors' columns for rows of the given conditions. */
function factorColumns(study: Study, conditionOf: readonly number[]): Columns {
  const grid = conditions(study.design);
  const out: Columns = {};
  for (const factor of Object.keys(study.design)) out[factor] = conditionOf.map((c) => (grid[c].values as Record<string, number | string | boolean>)[factor]);
  return out;
}

/** replicates.csv's columns for rows of one condition of a run (its estimators, by index, and seed). */
export function replicateColumns(study: Study, header: Pick<JournalHeader, 'estimators' | 'seed'>, condition: number, rows: readonly CompactRow[]): Columns {
  return {
    ...factorColumns(study, rows.map(() => condition)),
    condition: rows.map(() => condition),
    replicate: rows.map((r) => r[0]),
    estimator: rows.map((r) => header.estimators[r[1]]),
    parameter: rows.map((r) => r[2]),
    estimate: rows.map((r) => num(r[3])),
    se: rows.map((r) => num(r[4])),
    ci_lower: rows.map((r) => num(r[5])),
    ci_upper: rows.map((r) => num(r[6])),
    ci_method: rows.map((r) => r[7]),
    converged: rows.map((r) => (r[8] & 1) === 1),
    singular: rows.map((r) => (r[8] & 2) === 2),
    error: rows.map((r) => r[9]),
    seed: rows.map(() => header.seed),
  };
}

/** summary.csv's columns. */
export function summaryColumns(study: Study, rows: readonly SummaryRow[]): Columns {
  const p = (f: (x: Performance) => number): number[] => rows.map((r) => f(r.performance));
  return {
    ...factorColumns(study, rows.map((r) => r.condition)),
    estimator: rows.map((r) => r.estimator),
    parameter: rows.map((r) => r.parameter),
    ci_method: rows.map((r) => r.ciMethod),
    true_value: p((x) => x.trueValue),
    n_reps: p((x) => x.nReps),
    n_failed: p((x) => x.nFailed),
    mean_estimate: p((x) => x.meanEstimate),
    bias: p((x) => x.bias),
    bias_mcse: p((x) => x.biasMcse),
    rel_bias: p((x) => x.relBias),
    rel_bias_mcse: p((x) => x.relBiasMcse),
    emp_se: p((x) => x.empSe),
    emp_se_mcse: p((x) => x.empSeMcse),
    rel_precision: rows.map((r) => r.relPrecision),
    rel_precision_mcse: rows.map((r) => r.relPrecisionMcse),
    model_se: p((x) => x.modelSe),
    model_se_mcse: p((x) => x.modelSeMcse),
    model_se_rel_error: p((x) => x.modelSeRelError),
    model_se_rel_error_mcse: p((x) => x.modelSeRelErrorMcse),
    rmse: p((x) => x.rmse),
    rmse_mcse: p((x) => x.rmseMcse),
    coverage: p((x) => x.coverage),
    coverage_mcse: p((x) => x.coverageMcse),
    be_coverage: p((x) => x.beCoverage),
    be_coverage_mcse: p((x) => x.beCoverageMcse),
    power: p((x) => x.power),
    power_mcse: p((x) => x.powerMcse),
    ci_width: p((x) => x.ciWidth),
    ci_width_mcse: p((x) => x.ciWidthMcse),
    n_nonconverged: p((x) => x.nNonConverged),
    n_singular: p((x) => x.nSingular),
  };
}

