/**
 * The CSV writer thread's task module: it loads danfojs-node as soon as the thread starts (while the
 * study's workers compute) and writes tables on request. Only that thread imports this module.
 */
import { preloadDanfo, writeCsv, type Columns } from './csv.ts';

/** A request to the writer thread: a table to write, or (`warmUp`) nothing, to have the thread load danfojs. */
export type CsvRequest = { readonly path: string; readonly columns: Columns; readonly append: boolean } | { readonly warmUp: true };

preloadDanfo();

/** The thread's task: write one table (or append its rows). */
export default async function writeRequest(request: CsvRequest): Promise<void> {
  if ('warmUp' in request) return;
  await writeCsv(request.path, request.columns, { append: request.append });
}
