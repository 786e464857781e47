/**
 * The model frame: the rows a formula can use (no missing value in any of its variables, as lme4's default
 * na.action), each variable in its working form (numbers, or factor codes with sorted levels), and the
 * grouping factor as codes 0..m-1.
 */
import { UserError } from '../errors.ts';
import { isMissingText, isNumericColumn, rowCount, type Column, type Dataset, type NumericColumn, type TextColumn } from '../data/dataset.ts';
import type { Formula } from '../formula/terms.ts';
import { mapArray } from '../arrays.ts';

/** A variable of the model frame: numbers, or a factor as level codes. */
export type FrameVariable =
  | { readonly kind: 'numeric'; readonly values: Float64Array }
  | { readonly kind: 'factor'; readonly codes: Int32Array; readonly levels: readonly string[] };

/** The rows a model uses and its variables over those rows. */
export interface ModelFrame {
  /** Rows used. */
  readonly n: number;
  /** Rows dropped for a missing value. */
  readonly dropped: number;
  /** The response over the rows used. */
  readonly y: Float64Array;
  /** Every right-hand-side variable over the rows used. */
  readonly variables: ReadonlyMap<string, FrameVariable>;
  /** Model-matrix columns already built over these rows, by name (shared by the fixed and random parts). */
  readonly columns: Map<string, Float64Array>;
  /** The grouping factor's column name. */
  readonly groupName: string;
  /** The grouping factor: one code per row used, and its levels in sorted order. */
  readonly group: { readonly codes: Int32Array; readonly levels: readonly string[] };
}

function column(data: Dataset, name: string, formula: Formula, source: string): Column {
  const c = data[name];
  if (c === undefined) {
    const known = Object.keys(data);
    const separator = known.length === 1 ? [';', '\t', '|'].find((s) => known[0].includes(s)) : undefined;
    const hint = separator ? `; the file looks separated by ${separator === '\t' ? 'tabs' : `'${separator}'`}, and mixsim reads comma-separated values` : '';
    throw new UserError(`${source}: unknown column '${name}' in formula '${formula.text}' (columns: ${known.join(', ')})${hint}`);
  }
  return c;
}

/** Factor codes over the rows used, levels in code-point order of their text, or numeric order for numbers. */
function factor(c: Column, rows: Int32Array | null, n: number): { codes: Int32Array; levels: string[] } {
  const codes = new Int32Array(n);
  if (isNumericColumn(c)) return numericFactor(asFloat64(c), rows, codes);
  const t = c as TextColumn;
  const index = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    const v = t[rows ? rows[r] : r] as string;
    let k = index.get(v);
    if (k === undefined) { k = index.size; index.set(v, k); }
    codes[r] = k;
  }
  const seen = [...index.keys()];
  const levels = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { codes: recode(codes, seen, levels), levels };
}

function numericFactor(c: Float64Array, rows: Int32Array | null, codes: Int32Array): { codes: Int32Array; levels: string[] } {
  const values = rows ? take(c, rows) : c;
  const n = values.length;
  // Small non-negative integers (group ids): the values are their own codes; a presence table sorts them.
  let bad = 0;
  let max = 0;
  for (let r = 0; r < n; r++) {
    const x = values[r];
    const i = x | 0;
    bad |= i !== x || i < 0 ? 1 : 0;
    max = i > max ? i : max;
    codes[r] = i;
  }
  if (bad || max >= Math.max(4 * n, 1024)) return hashedNumericFactor(values, codes);
  const rank = new Int32Array(max + 1);
  for (let r = 0; r < n; r++) rank[codes[r]] = 1;
  const levels: string[] = [];
  for (let v = 0; v <= max; v++) if (rank[v]) { rank[v] = levels.length; levels.push(String(v)); }
  if (levels.length !== max + 1) for (let r = 0; r < n; r++) codes[r] = rank[codes[r]];
  return { codes, levels };
}

function hashedNumericFactor(values: Float64Array, codes: Int32Array): { codes: Int32Array; levels: string[] } {
  const index = new Map<number, number>();
  for (let r = 0; r < codes.length; r++) {
    const v = values[r];
    let k = index.get(v);
    if (k === undefined) { k = index.size; index.set(v, k); }
    codes[r] = k;
  }
  const seen = [...index.keys()];
  const sorted = [...seen].sort((a, b) => a - b);
  return { codes: recode(codes, seen.map(String), sorted.map(String)), levels: sorted.map(String) };
}

function recode(codes: Int32Array, seen: readonly string[], levels: readonly string[]): Int32Array {
  const rank = new Map(levels.map((l, i) => [l, i]));
  const map = Int32Array.from(seen, (l) => rank.get(l)!);
  for (let r = 0; r < codes.length; r++) codes[r] = map[codes[r]];
  return codes;
}

/** The formula's one grouping factor; a formula with none, or with several, is a {@link UserError}. */
export function groupingFactor(formula: Formula): string {
  const groups = [...new Set(formula.random.map((r) => r.group))];
  if (groups.length === 0) throw new UserError(`formula '${formula.text}' has no random-effects term such as (1 | group)`);
  if (groups.length > 1) {
    throw new UserError(`formula '${formula.text}': only one grouping factor is supported for now, found ${groups.map((g) => `'${g}'`).join(' and ')}`);
  }
  return groups[0];
}

/** The rows of `data` that `formula` can use, with its variables in working form. */
export function modelFrame(formula: Formula, data: Dataset, source = 'data'): ModelFrame {
  const total = rowCount(data, source);
  const groupName = groupingFactor(formula);
  // Numeric columns as Float64Array once, so that every loop below sees one array type.
  const used = mapArray(formula.variables, (name) => {
    const c = column(data, name, formula, source);
    return [name, isNumericColumn(c) ? asFloat64(c) : c] as const;
  });
  const response = used[0][1];
  if (!isNumericColumn(response)) throw new UserError(`${source}: the response column '${formula.response}' is not numeric`);

  const rows = completeRows(used, total, source);
  const n = rows ? rows.length : total;
  if (n === 0) throw new UserError(`${source}: no row is complete in the formula's columns (${formula.variables.join(', ')})`);

  const variables = new Map<string, FrameVariable>();
  for (const [name, c] of used.slice(1)) {
    if (name === groupName && !formula.fixed.terms.some((t) => t.includes(name))) continue;
    if (c instanceof Float64Array) variables.set(name, { kind: 'numeric', values: rows ? take(c, rows) : c });
    else variables.set(name, { kind: 'factor', ...factor(c, rows, n) });
  }
  const group = factor(used.find(([name]) => name === groupName)![1], rows, n);
  const m = group.levels.length;
  if (m < 2) throw new UserError(`${source}: grouping factor '${groupName}' has ${m} level; it needs at least 2`);
  if (m >= n) {
    throw new UserError(`${source}: grouping factor '${groupName}' has ${m} levels for ${n} rows; it needs fewer levels than rows`);
  }
  return { n, dropped: total - n, columns: new Map(), y: rows ? take(response as Float64Array, rows) : (response as Float64Array), variables, groupName, group };
}

/**
 * The rows with no missing value (NaN, or empty text) in any of the columns, or null when every row is
 * complete. An infinite number is a {@link UserError} naming the column and row: it is not missing, and no
 * model can use it (lme4 stops at it too).
 */
function completeRows(columns: readonly (readonly [string, Column])[], total: number, source: string): Int32Array | null {
  let missing: Uint8Array | null = null;
  for (const [name, c] of columns) {
    if (c instanceof Float64Array) {
      if (mayHoldNonFinite(c)) markMissingNumbers(c, (missing ??= new Uint8Array(total)), `${source}: column '${name}'`);
    } else {
      const t = c as TextColumn;
      for (let i = 0; i < total; i++) if (isMissingText(t[i])) (missing ??= new Uint8Array(total))[i] = 1;
    }
  }
  if (!missing) return null;
  const rows: number[] = [];
  for (let i = 0; i < total; i++) if (!missing[i]) rows.push(i);
  return Int32Array.from(rows);
}

/** Whether a column may hold a NaN or an infinity: four running sums are not finite when it does (or on an overflow). */
function mayHoldNonFinite(c: Float64Array): boolean {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n = c.length - (c.length % 4);
  for (let i = 0; i < n; i += 4) { s0 += c[i]; s1 += c[i + 1]; s2 += c[i + 2]; s3 += c[i + 3]; }
  for (let i = n; i < c.length; i++) s0 += c[i];
  const s = s0 + s1 + s2 + s3;
  return !Number.isFinite(s);
}

/** Marks the NaNs of a column as missing; an infinity is an error (`where` names the column). */
function markMissingNumbers(c: Float64Array, missing: Uint8Array, where: string): void {
  for (let i = 0; i < c.length; i++) {
    const v = c[i];
    if (v !== v) missing[i] = 1;
    else if (v === Infinity || v === -Infinity) throw new UserError(`${where} is ${v} in row ${i + 1}: a model cannot use an infinite value (a missing one is NaN)`);
  }
}

/** A numeric column as a Float64Array (itself when it is one). */
function asFloat64(c: NumericColumn): Float64Array {
  return c instanceof Float64Array ? c : Float64Array.from(c);
}

/** The values at the given rows. */
function take(c: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = c[rows[r]];
  return out;
}
