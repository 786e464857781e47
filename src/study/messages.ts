/** The messages between the runner and its workers, in one place. */

/** What every worker knows from its start. */
export interface WorkerSetup {
  /** The study module's file URL. */
  readonly studyUrl: string;
  readonly seed: number;
  /** Estimators to run, in output order. */
  readonly estimators: readonly string[];
}

/** A task: replicates [from, to) of one condition. */
export interface ChunkTask {
  readonly condition: number;
  readonly from: number;
  readonly to: number;
}

/**
 * A compact row: [replicate, estimator index, parameter, estimate, se, ci_lower, ci_upper, flags, error];
 * flags bit 0 = converged, bit 1 = singular. Missing numbers are null (JSON has no NaN).
 */
export type CompactRow = [number, number, string, number | null, number | null, number | null, number | null, number, string];

/** A finished chunk. */
export interface ChunkResult extends ChunkTask {
  readonly rows: CompactRow[];
  /** Estimator failures in this chunk (rows with an error). */
  readonly errors: number;
}
