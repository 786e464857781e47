/**
 * The columnar dataset every part of mixsim passes around: a record of equally long columns, numeric
 * (`Float64Array` or `number[]`, `NaN` missing) or text (`string[]`, with `null`, `''` or `'NA'` missing).
 * Text columns are factors; their levels sort in code-point order (R's C locale).
 */
import { UserError } from '../errors.ts';

/** A numeric column; `NaN` marks a missing value. */
export type NumericColumn = Float64Array | readonly number[];
/** A text column (a factor); `null`, `undefined`, `''` and `'NA'` mark a missing value. */
export type TextColumn = readonly (string | null | undefined)[];
/** One column of a {@link Dataset}. */
export type Column = NumericColumn | TextColumn;
/** Columns by name, all of the same length. */
export type Dataset = Readonly<Record<string, Column>>;

/**
 * A copy of a dataset whose columns are copies too: what an estimator may change (centre a column in place,
 * add one) without another seeing it. Values that are not arrays are shared, as are text cells (immutable).
 */
export function copyDataset(data: Dataset): Dataset {
  if (typeof data !== 'object' || data === null) return data;
  const copy: Record<string, unknown> = Object.create(Object.getPrototypeOf(data));
  for (const [name, column] of Object.entries(data)) {
    copy[name] = Array.isArray(column) || (ArrayBuffer.isView(column) && !(column instanceof DataView)) ? (column as Float64Array).slice() : column;
  }
  return copy as Dataset;
}

/** Whether a column holds numbers (as opposed to text). */
export function isNumericColumn(column: Column): column is NumericColumn {
  return column instanceof Float64Array || column.length === 0 || typeof column[0] === 'number';
}

/** Whether the text cell is missing. */
export function isMissingText(value: string | null | undefined): boolean {
  return value === null || value === undefined || value === '' || value === 'NA';
}

/** The number of rows of a dataset; throws when its columns differ in length. */
export function rowCount(data: Dataset, source = 'data'): number {
  let n = -1;
  let first = '';
  for (const [name, column] of Object.entries(data)) {
    if (n < 0) { n = column.length; first = name; }
    else if (column.length !== n) {
      throw new UserError(`${source}: column '${name}' has ${column.length} rows but column '${first}' has ${n}`);
    }
  }
  return Math.max(n, 0);
}
