/**
 * CSV output through danfojs-node. danfojs is loaded on first use, never in the study's workers (a run's
 * main thread loads it while the workers start: resultsWriter.ts), and without the dependencies it loads for
 * functions a CSV does not use: those load when first used (deferredRequire.ts).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deferRequire } from './deferredRequire.ts';

type Danfo = typeof import('danfojs-node');

/**
 * danfojs asks `data instanceof tf.Tensor` of every table it makes. Until TensorFlow.js (0.1 s) is loaded,
 * that is answered without it for a value that cannot be a tensor (one without a tensor's `dataId` and
 * `shape`); for any other value, TensorFlow.js loads and its own class answers.
 */
function tensorClass(load: () => object): Record<string, unknown> {
  const mayBeTensor = (value: unknown): boolean => typeof value === 'object' && value !== null && 'dataId' in value && 'shape' in value;
  return { Tensor: { [Symbol.hasInstance]: (value: unknown) => mayBeTensor(value) && value instanceof (load() as { Tensor: new () => unknown }).Tensor } };
}

let danfo: Promise<Danfo> | undefined;

/** danfojs-node, loaded once. */
export function loadDanfo(): Promise<Danfo> {
  if (!danfo) {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('danfojs-node');
    for (const id of ['mathjs', 'xlsx', 'request', 'table', 'stream-json', 'stream-json/streamers/StreamArray', 'node-fetch']) deferRequire(id, entry);
    deferRequire('@tensorflow/tfjs-node', entry, tensorClass);
    // danfojs-node is a CommonJS package: `require` loads it without Node's ES module loader.
    danfo = new Promise((resolve) => resolve(require('danfojs-node') as Danfo));
  }
  return danfo;
}

/** A table as named columns of equal length. */
export type Columns = Record<string, (number | string | boolean)[]>;

/**
 * A field as RFC 4180 writes it: in double quotes, its own doubled, when it holds a comma, a double quote
 * or a line break. danfojs's toCSV joins values as they are, so an error message with a comma in it made
 * a replicates.csv row with one field too many.
 */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** Whether some value of a column is a string that needs quotes (a loop: 30,000 rows take about 1.5 ms). */
function needsQuotes(values: Columns[string]): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string' && v !== '' && NEEDS_QUOTES.test(v)) return true;
  }
  return false;
}

/** The columns with every string that needs it quoted (names too); numbers and booleans as they are. */
function quoted(columns: Columns): Columns {
  const out: Columns = {};
  for (const [name, values] of Object.entries(columns)) {
    out[csvField(name)] = needsQuotes(values) ? values.map((v) => (typeof v === 'string' ? csvField(v) : v)) : values;
  }
  return out;
}

/** Writes (or, with `append`, adds rows without the header to) a CSV file through a danfojs DataFrame. */
export async function writeCsv(path: string, columns: Columns, options: { append?: boolean } = {}): Promise<void> {
  const table = quoted(columns);
  const names = Object.keys(table);
  const rows = names.length ? table[names[0]].length : 0;
  if (rows === 0) {
    if (!options.append) writeFileSync(path, `${names.join(',')}\n`);
    return;
  }
  const { DataFrame, toCSV } = await loadDanfo();
  const text = toCSV(new DataFrame(table, { columns: names, config: { lowMemoryMode: true } })) as string;
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (options.append) appendFileSync(path, body.slice(body.indexOf('\n') + 1));
  else writeFileSync(path, body);
}
