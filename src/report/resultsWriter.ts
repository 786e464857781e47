/**
 * The main thread's handle on the threads that write a run's results, so that loading danfojs-node and Vega
 * never blocks the thread that journals the study's results: one tables thread (tablesThread.ts) and two
 * charts threads (chartsThread.ts), which draw the report's four charts two at a time.
 */
import { availableParallelism } from 'node:os';
import type { ChartSpec } from './charts.ts';
import type { ChartRequest } from './chartsThread.ts';
import type { Columns } from './csv.ts';
import { writeReport } from './html.ts';
import type { TableRequest } from './tablesThread.ts';
import { asUserError, closePool, typescriptPool } from '../threads/pool.ts';

/** Threads that draw charts: two (the report has four charts), or one on a one-core machine. */
const CHART_THREADS = Math.min(2, availableParallelism());

/** The results' threads, started (and loading their libraries) at once. */
export class ResultsWriter {
  private readonly tables = typescriptPool({
    module: new URL('./tablesThread.ts', import.meta.url), threads: 1, warmUp: null satisfies TableRequest, background: true,
  });

  private readonly charts = typescriptPool({
    module: new URL('./chartsThread.ts', import.meta.url), threads: CHART_THREADS, warmUp: null satisfies ChartRequest, background: true,
  });

  /** Writes (or appends to) a CSV file. */
  write(path: string, columns: Columns, append = false): Promise<void> {
    return this.tables.run({ path, columns, append } satisfies TableRequest).catch((e: unknown) => { throw asUserError(e); });
  }

  /** Builds report.html in a results folder, its charts drawn by the charts threads; returns its path. */
  report(dir: string): Promise<string> {
    const render = (spec: ChartSpec): Promise<string> => this.charts.run(spec satisfies ChartRequest).catch((e: unknown) => { throw asUserError(e); });
    return writeReport(dir, dir, { render });
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    await Promise.all([closePool(this.tables), closePool(this.charts)]);
  }
}
