/**
 * The results writer's thread: it loads danfojs-node and Vega as soon as it starts (while the study's
 * workers compute), then writes tables and the report on request. Only that thread imports this module.
 */
import { loadDanfo, writeCsv, type Columns } from './csv.ts';
import { writeReport } from './html.ts';

/** A request to the writer thread. */
export type ResultsRequest =
  /** Write a table, or append its rows. */
  | { readonly kind: 'csv'; readonly path: string; readonly columns: Columns; readonly append: boolean }
  /** Build report.html from a results folder's summary.csv and run.json. */
  | { readonly kind: 'report'; readonly dir: string }
  /** Nothing: have the thread load its libraries. */
  | { readonly kind: 'warmUp' };

// danfojs first (the tables come first), Vega after it, so that the two loads do not compete with each
// other, nor both at once with the workers.
loadDanfo().then(() => Promise.all([import('vega'), import('vega-lite')])).catch(() => undefined);

/** The thread's task. */
export default async function handle(request: ResultsRequest): Promise<string | void> {
  if (request.kind === 'csv') await writeCsv(request.path, request.columns, { append: request.append });
  else if (request.kind === 'report') return writeReport(request.dir);
}
