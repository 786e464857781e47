/**
 * CSV in and out of the columnar {@link Dataset}: RFC 4180 quoting, a header row, `NA` and empty cells
 * missing. A column whose every present cell is a number (`NaN`, `Inf` and `-Inf` included, as R writes
 * them) becomes numeric; any other is text (a factor).
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.ts';
import { isMissingText, type Column, type Dataset } from './dataset.ts';

/** A CSV file read into columns. */
export interface CsvTable {
  /** The file, for messages. */
  readonly source: string;
  readonly data: Dataset;
  /**
   * Text columns that are numbers but for some cells: the first such cell's line (1 = header) and text.
   * A formula that uses such a column as a number is an error naming that cell.
   */
  readonly mixed: ReadonlyMap<string, { readonly line: number; readonly value: string }>;
}

/** Splits CSV text into records of fields, with each record's line number (1-based). */
export function parseCsvRecords(text: string, source: string): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let i = 0;
  let quoted = false;
  let any = false;
  const endRecord = (): void => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '' || any) records.push({ fields, line: start });
    fields = []; field = ''; any = false;
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      if (ch === '\n') line++;
      field += ch; i++; continue;
    }
    if (ch === '"') { quoted = true; any = true; i++; continue; }
    if (ch === ',') { fields.push(field); field = ''; any = true; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (ch === '\n') { endRecord(); line++; start = line; i++; continue; }
    field += ch; i++;
  }
  if (quoted) throw new UserError(`${source}: line ${start}: a quoted field is not closed`);
  if (field !== '' || fields.length > 0 || any) endRecord();
  return records;
}

/** Cells that are numbers though Number() says otherwise (R's spellings). */
const SPECIAL_NUMBERS = new Map([['NaN', NaN], ['Inf', Infinity], ['-Inf', -Infinity]]);

/** Parses CSV text (header row first) into columns. */
export function parseCsv(text: string, source = 'data'): CsvTable {
  const records = parseCsvRecords(text.replace(/^\uFEFF/, ''), source);
  if (records.length === 0) throw new UserError(`${source}: the file is empty`);
  const header = records[0].fields.map((h) => h.trim());
  header.forEach((h, j) => {
    if (h === '') throw new UserError(`${source}: line 1: column ${j + 1} has no name`);
    if (header.indexOf(h) !== j) throw new UserError(`${source}: line 1: column '${h}' appears twice`);
  });
  const rows = records.slice(1);
  if (rows.length === 0) throw new UserError(`${source}: the file has a header but no rows`);
  for (const r of rows) {
    if (r.fields.length !== header.length) {
      throw new UserError(`${source}: line ${r.line} has ${r.fields.length} fields but the header has ${header.length}`);
    }
  }
  const data: Record<string, Column> = {};
  const mixed = new Map<string, { line: number; value: string }>();
  header.forEach((name, j) => {
    const numbers = new Float64Array(rows.length);
    let firstText: { line: number; value: string } | undefined;
    let anyNumber = false;
    for (let r = 0; r < rows.length; r++) {
      const cell = rows[r].fields[j].trim();
      if (isMissingText(cell)) { numbers[r] = NaN; continue; }
      const v = SPECIAL_NUMBERS.get(cell) ?? Number(cell);
      if (!Number.isNaN(v) || cell === 'NaN') { numbers[r] = v; anyNumber = true; }
      else if (!firstText) firstText = { line: rows[r].line, value: cell };
    }
    if (!firstText) { data[name] = numbers; return; }
    data[name] = rows.map((r) => { const cell = r.fields[j].trim(); return isMissingText(cell) ? null : cell; });
    if (anyNumber) mixed.set(name, firstText);
  });
  return { source, data, mixed };
}

/** Reads a CSV file into columns; a missing or unreadable file is a {@link UserError} naming it. */
export function readCsv(path: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code})`}`);
  }
  return parseCsv(text, path);
}

/** Throws a {@link UserError} naming the cell when one of `columns` mixes numbers and text. */
export function ensureNumeric(table: CsvTable, columns: readonly string[]): void {
  for (const c of columns) {
    const bad = table.mixed.get(c);
    if (bad) throw new UserError(`${table.source}: column '${c}', line ${bad.line}: '${bad.value}' is not a number`);
  }
}
