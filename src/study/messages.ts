/** The messages between the runner and its workers, in one place. */
import type { MessagePort } from 'node:worker_threads';

/** What every worker knows from its start (the pool starts before the main thread has read the study). */
export interface WorkerSetup {
  /** The study module's file URL. */
  readonly studyUrl: string;
  /** The study seed, or null for the study's own. */
  readonly seed: number | null;
  /** Estimators to run, in output order, or null for all of the study's. */
  readonly estimators: readonly string[] | null;
}

/** A chunk: replicates [from, to) of one condition, the unit of work and of the journal. */
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

/** The slot of a {@link WorkerTask}'s `claims` holding the index of the next chunk to claim. */
export const NEXT_CHUNK = 0;
/** The slot of a {@link WorkerTask}'s `claims` that is non-zero once the run stops: no chunk is claimed after. */
export const STOPPED = 1;

/**
 * A worker's task: all of a run's chunks, shared by every worker. Each worker claims the next chunk (an
 * atomic increment of `claims`), runs it and posts its {@link ChunkResult} to `results`, until no chunk is
 * left or the run stops; the task's reply is the number of results it posted. A worker thus never waits for
 * the main thread between chunks. `null` is the warm-up task: the thread only loads the study.
 */
export type WorkerTask = {
  readonly chunks: readonly ChunkTask[];
  /** Two Int32 slots: {@link NEXT_CHUNK} and {@link STOPPED}. */
  readonly claims: SharedArrayBuffer;
  readonly results: MessagePort;
} | null;
