/** The messages between the runner and its workers, in one place. */

/** What every worker knows from its start (the pool starts before the main thread has read the study). */
export interface WorkerSetup {
  /** The study module's file URL. */
  readonly studyUrl: string;
  /** The study seed, or null for the study's own. */
  readonly seed: number | null;
  /** Estimators to run, in output order, or null for all of the study's. */
  readonly estimators: readonly string[] | null;
}

/** A task: replicates [from, to) of one condition. */
export interface ChunkTask {
  readonly condition: number;
  readonly from: number;
  readonly to: number;
}

/**
 * A compact row: [replicate, estimator index, parameter, estimate, se, ci_lower, ci_upper, ci_method, flags,
 * error]; flags bit 0 = converged, bit 1 = singular. Missing numbers are null (JSON has no NaN).
 */
export type CompactRow = [number, number, string, number | null, number | null, number | null, number | null, string, number, string];

/** A finished chunk. */
export interface ChunkResult extends ChunkTask {
  readonly rows: CompactRow[];
  /** Estimator failures in this chunk (rows with an error). */
  readonly errors: number;
}
