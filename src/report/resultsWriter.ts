/**
 * What writes a run's results: the CSV files in this thread, through danfojs-node (loaded while the study's
 * workers compute), and the report's four charts, two at a time, by chartsThread.ts's task.
 * - In a study run, the study's own workers draw the charts once their replicates are done. Charts threads
 *   of their own started with the run and loaded Vega while the workers computed: two more threads on the
 *   run's cores, each started and each with its own copy of the library and Vega. Measured on 2 cores
 *   (whole runs, alternated): 500 replicates 0.07 s faster, about 0.1 s less CPU.
 * - A run with one worker, and a merge of shards, have charts threads of their own.
 * The main thread is free for the tables: the workers claim their chunks from a shared queue and never wait
 * for it. (A thread of its own for the tables cost more than it saved: its start, and a copy of every row
 * sent to it. Measured: 2-replicate runs about 70 ms faster without it, 500-replicate runs about 40 ms.)
 */
import { availableParallelism } from 'node:os';
import type { Piscina } from 'piscina';
import type { ChartSpec } from './charts.ts';
import type { ChartRequest } from './chartsThread.ts';
import { loadDanfo, writeCsv, type Columns } from './csv.ts';
import { writeReport } from './html.ts';
import { asUserError, closePool, typescriptPool } from '../threads/pool.ts';

/** Threads that draw charts: two (the report has four charts), or one on a one-core machine. */
export const CHART_THREADS = Math.min(2, availableParallelism());

const chartsTask = new URL('./chartsThread.ts', import.meta.url);

/**
 * The results' writers. danfojs-node loads here as soon as the caller yields. The charts are drawn by
 * `pool`'s threads (a study run's workers, which must be at least {@link CHART_THREADS}), or else by charts
 * threads of the writer's own, started at once.
 */
export class ResultsWriter {
  private readonly charts: Piscina;
  private readonly ownCharts: boolean;

  constructor(pool?: Piscina) {
    this.ownCharts = pool === undefined;
    this.charts = pool ?? typescriptPool({ module: chartsTask, threads: CHART_THREADS, warmUp: null satisfies ChartRequest, background: true });
    // After the caller's synchronous start: in a run, while the threads start.
    setImmediate(() => { loadDanfo().catch(() => undefined); });
  }

  /** Writes (or appends to) a CSV file. */
  write(path: string, columns: Columns, append = false): Promise<void> {
    return writeCsv(path, columns, { append });
  }

  /** Builds report.html in a results folder, its charts drawn two at a time; returns its path. */
  report(dir: string): Promise<string> {
    const render = (spec: ChartSpec): Promise<string> => this.charts.run(spec satisfies ChartRequest, { filename: chartsTask.href }).catch((e: unknown) => { throw asUserError(e); });
    return writeReport(dir, dir, { render });
  }

  /** Stops the writer's own charts threads (a pool it was given is its owner's to close). */
  async close(): Promise<void> {
    if (this.ownCharts) await closePool(this.charts);
  }
}
