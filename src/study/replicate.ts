/**
 * One replicate: generate its dataset from its own stream, then run each estimator on it. Whatever throws
 * is recorded as a row with the message, and the study goes on.
 */
import { copyDataset, type Dataset } from '../data/dataset.ts';
import { UserError } from '../errors.ts';
import { estimatorSeed, replicateSeed, type ReplicateKey } from '../rng/seed.ts';
import { reseedableStream } from '../rng/stream.ts';
import { withoutMathRandom } from '../rng/unseeded.ts';
import type { Condition, Design, Study } from './define.ts';
import { errorRow, estimateRows, readsOnly, type EstimateRow } from './estimates.ts';
import type { CompactRow } from './messages.ts';

/** The rows of one estimator in one replicate. */
export interface EstimatorRows {
  readonly estimator: string;
  readonly rows: readonly EstimateRow[];
}

/** What a run fixes for all its replicates: the study seed, and the estimators to run, in output order. */
export interface ReplicateRun {
  readonly seed: number;
  readonly estimators: readonly string[];
}

/** The stream every replicate of this thread draws from, reseeded for each (and for each estimator that draws). */
const streams = reseedableStream();

/** What a study draws from instead of Math.random (unseeded.ts). */
const GENERATE_ADVICE = "draw from generate's rng, the replicate's own seeded stream (rng.uniform(), rng.normal())";
const ESTIMATOR_ADVICE = "draw from the estimator's third argument, its own seeded stream (rng.uniform(), rng.integer(n))";

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim() || 'error';

/**
 * Runs replicate `replicate` of condition `condition` (its index in the full design grid). A pure function
 * of the study seed, condition and replicate: this is also how one replicate is replayed alone. Checks its
 * arguments, then runs {@link replicateRows}.
 */
export function runReplicate<D extends Design>(
  study: Study<D>, condition: { index: number; values: Condition<D> }, replicate: number,
  options: ReplicateRun,
): EstimatorRows[] {
  if (!Number.isInteger(replicate) || replicate < 0) throw new UserError(`runReplicate: replicate must be a non-negative integer, not ${replicate}`);
  if (!Number.isInteger(condition.index) || condition.index < 0) throw new UserError(`runReplicate: condition.index must be a non-negative integer, not ${condition.index}`);
  for (const estimator of options.estimators) {
    if (typeof study.estimators[estimator] !== 'function') {
      throw new UserError(`runReplicate: unknown estimator '${estimator}' (estimators: ${Object.keys(study.estimators).join(', ')})`);
    }
  }
  return replicateRows(study, condition, replicate, options);
}

/** The dataset of a replicate: `generate` on the replicate's own stream. */
function generated<D extends Design>(study: Study<D>, values: Condition<D>, key: ReplicateKey): Dataset {
  const rng = streams.reseed(replicateSeed(key));
  return withoutMathRandom(GENERATE_ADVICE, () => study.generate(values, rng));
}

/**
 * The dataset replicate `replicate` of condition `condition` analyses, as `generate` gives it (before any
 * estimator ran); what `generate` throws is thrown.
 */
export function replicateData<D extends Design>(study: Study<D>, condition: { index: number; values: Condition<D> }, replicate: number, seed: number): Dataset {
  return generated(study, condition.values, { seed, condition: condition.index, replicate });
}

/**
 * Appends one replicate's rows to `rows` in the journal's compact form (infinite numbers as missing); returns
 * how many of them record an error.
 */
export function appendCompactRows(rows: CompactRow[], replicate: number, results: readonly EstimatorRows[]): number {
  let errors = 0;
  results.forEach(({ rows: estimates }, e) => {
    for (const r of estimates) {
      if (r.error) errors++;
      rows.push([replicate, e, r.parameter, finite(r.estimate), finite(r.se), finite(r.ciLower), finite(r.ciUpper),
        r.ciMethod, (r.converged ? 1 : 0) | (r.singular ? 2 : 0), r.error]);
    }
  });
  return errors;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * {@link runReplicate} without the checks, for a worker's loop: its chunks' conditions and replicates come
 * from the run's plan, and the run checked its estimators before the first chunk.
 */
export function replicateRows<D extends Design>(
  study: Study<D>, condition: { index: number; values: Condition<D> }, replicate: number,
  options: ReplicateRun,
): EstimatorRows[] {
  const key = { seed: options.seed, condition: condition.index, replicate };
  let data;
  try {
    data = generated(study, condition.values, key);
  } catch (e) {
    const rows = [errorRow(`generate: ${messageOf(e)}`)];
    return options.estimators.map((estimator) => ({ estimator, rows }));
  }
  const last = options.estimators.length - 1;
  return options.estimators.map((estimator, position) => {
    try {
      // An estimator that may change the data in place (centre a column) analyses its own copy, unless it is
      // the last: it must not change what the others analyse, nor make their results depend on --estimators.
      const analyse = study.estimators[estimator];
      const own = position < last && !readsOnly(analyse) ? copyDataset(data) : data;
      const ownStream = streams.deferred(estimatorSeed(key, estimator));
      const result = withoutMathRandom(ESTIMATOR_ADVICE, () => analyse(own, condition.values, ownStream));
      return { estimator, rows: estimateRows(result, study.level ?? 0.95) };
    } catch (e) {
      return { estimator, rows: [errorRow(messageOf(e))] };
    }
  });
}
