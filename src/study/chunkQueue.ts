/**
 * A run's chunks shared by the pool's workers (the worker side is worker.ts): each worker gets one task, the
 * whole queue, claims chunks from it with an atomic counter and posts each finished chunk back on a port of
 * its own. The main thread hands each result on as it arrives, and never stands between two chunks.
 */
import { MessageChannel } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import { STOPPED, type ChunkResult, type ChunkTask, type WorkerTask } from './messages.ts';

/** Options of {@link shareChunks}. */
export interface ShareChunksOptions {
  /** The pool of worker.ts threads. */
  readonly pool: Piscina;
  /** Every chunk of the run, in the order they are to be claimed. */
  readonly chunks: readonly ChunkTask[];
  /** How many workers take part (one task each). */
  readonly workers: number;
  /** Called with each finished chunk, in the order they arrive; a throw stops the queue and rejects `finished`. */
  readonly onResult: (result: ChunkResult) => void;
  /** Aborts the workers' tasks at once (the chunks they are running are lost). */
  readonly signal: AbortSignal;
}

/** A queue being worked through. */
export interface SharedChunks {
  /** Lets no chunk be claimed any more: the workers finish the chunks they are running, then reply. */
  stop(): void;
  /** Settles once every worker has replied and each of its results was handed to `onResult`. */
  readonly finished: Promise<void>;
}

/** Starts the workers on the run's chunks. */
export function shareChunks({ pool, chunks, workers, onResult, signal }: ShareChunksOptions): SharedChunks {
  const claims = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const stop = (): void => { Atomics.store(new Int32Array(claims), STOPPED, 1); };
  let failed = false;
  // After a throw, no more chunks are claimed and no more results handed on.
  const handOn = (result: ChunkResult): void => {
    if (failed) return;
    try {
      onResult(result);
    } catch (e) {
      failed = true;
      stop();
      throw e;
    }
  };
  const tasks = Array.from({ length: Math.min(workers, chunks.length) }, () => drainOnce(pool, { chunks, claims }, handOn, signal));
  return { stop, finished: Promise.all(tasks).then(() => undefined) };
}

/**
 * One worker's task: it settles once the worker has replied with how many results it posted and that many
 * have arrived (its reply and its results travel on different ports, so either may come first).
 */
function drainOnce(pool: Piscina, queue: Omit<NonNullable<WorkerTask>, 'results'>, handOn: (result: ChunkResult) => void, signal: AbortSignal): Promise<void> {
  const { port1: arrivals, port2: results } = new MessageChannel();
  return new Promise<void>((resolve, reject) => {
    let received = 0;
    let posted = Infinity;
    arrivals.on('message', (result: ChunkResult) => {
      received++;
      try {
        handOn(result);
      } catch (e) {
        reject(e);
      }
      if (received === posted) resolve();
    });
    const task: WorkerTask = { ...queue, results };
    pool.run(task, { transferList: [results], signal }).then((count: number) => {
      posted = count;
      if (received === posted) resolve();
    }, reject);
  }).finally(() => arrivals.close());
}
