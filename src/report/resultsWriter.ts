/**
 * What writes a run's results: the CSV files in this thread, through danfojs-node (loaded while the study's
 * workers compute), and the report's four charts in two charts threads (chartsThread.ts), two at a time.
 * The main thread is free for this: the workers claim their chunks from a shared queue and never wait for
 * it. (A thread of its own for the tables cost more than it saved: its start, and a copy of every row sent
 * to it. Measured: 2-replicate runs about 70 ms faster without it, 500-replicate runs about 40 ms.)
 */
import { availableParallelism } from 'node:os';
import type { ChartSpec } from './charts.ts';
import type { ChartRequest } from './chartsThread.ts';
import { loadDanfo, writeCsv, type Columns } from './csv.ts';
import { writeReport } from './html.ts';
import { asUserError, closePool, typescriptPool } from '../threads/pool.ts';

/** Threads that draw charts: two (the report has four charts), or one on a one-core machine. */
const CHART_THREADS = Math.min(2, availableParallelism());

/** The results' writers: the charts threads start at once, and danfojs-node loads here as soon as the caller yields. */
export class ResultsWriter {
  private readonly charts = typescriptPool({
    module: new URL('./chartsThread.ts', import.meta.url), threads: CHART_THREADS, warmUp: null satisfies ChartRequest, background: true,
  });

  constructor() {
    // After the caller's synchronous start: in a run, while the threads start.
    setImmediate(() => { loadDanfo().catch(() => undefined); });
  }

  /** Writes (or appends to) a CSV file. */
  write(path: string, columns: Columns, append = false): Promise<void> {
    return writeCsv(path, columns, { append });
  }

  /** Builds report.html in a results folder, its charts drawn by the charts threads; returns its path. */
  report(dir: string): Promise<string> {
    const render = (spec: ChartSpec): Promise<string> => this.charts.run(spec satisfies ChartRequest).catch((e: unknown) => { throw asUserError(e); });
    return writeReport(dir, dir, { render });
  }

  /** Stops the charts threads. */
  async close(): Promise<void> {
    await closePool(this.charts);
  }
}
