/**
 * The main thread's handle on the results writer's thread (resultsThread.ts), so that loading danfojs-node
 * and Vega never blocks the thread that hands tasks to the study's workers.
 */
import type { Columns } from './csv.ts';
import type { ResultsRequest } from './resultsThread.ts';
import { asUserError, typescriptPool } from '../threads/pool.ts';

/** A writer thread, started (and warmed up) at once. */
export class ResultsWriter {
  private readonly pool = typescriptPool({
    module: new URL('./resultsThread.ts', import.meta.url), threads: 1, warmUp: { kind: 'warmUp' } satisfies ResultsRequest, background: true,
  });

  /** Writes (or appends to) a CSV file. */
  write(path: string, columns: Columns, append = false): Promise<void> {
    return this.pool.run({ kind: 'csv', path, columns, append } satisfies ResultsRequest).catch((e: unknown) => { throw asUserError(e); });
  }

  /** Builds report.html in a results folder; returns its path. */
  report(dir: string): Promise<string> {
    return this.pool.run({ kind: 'report', dir } satisfies ResultsRequest).catch((e: unknown) => { throw asUserError(e); });
  }

  /** Stops the thread. */
  close(): Promise<void> {
    return this.pool.destroy();
  }
}
