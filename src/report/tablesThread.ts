/**
 * The tables thread: it loads danfojs-node as soon as it starts (while the study's workers compute), then
 * writes CSV files on request. Only that thread imports this module.
 */
import { loadDanfo, writeCsv, type Columns } from './csv.ts';

/** A request to the tables thread: write a table, or append its rows; `null` only has the thread load. */
export type TableRequest = { readonly path: string; readonly columns: Columns; readonly append: boolean } | null;

loadDanfo().catch(() => undefined);

/** The thread's task. */
export default async function writeTable(request: TableRequest): Promise<void> {
  if (request) await writeCsv(request.path, request.columns, { append: request.append });
}
