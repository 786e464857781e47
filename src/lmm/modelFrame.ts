/**
 * The model frame: the rows a formula can use (no missing value in any of its variables, as lme4's default
 * na.action), each variable in its working form (numbers, or factor codes with sorted levels), and the
 * grouping factor as codes 0..m-1.
 */
import { UserError } from '../errors.ts';
import { isMissingText, isNumericColumn, type Column, type Dataset, type NumericColumn, type TextColumn, rowCount } from '../data/dataset.ts';
import type { Formula } from '../formula/terms.ts';

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
  /** The grouping factor's column name. */
  readonly groupName: string;
  /** The grouping factor: one code per row used, and its levels in sorted order. */
  readonly group: { readonly codes: Int32Array; readonly levels: readonly string[] };
}

function column(data: Dataset, name: string, formula: Formula, source: string): Column {
  const c = data[name];
  if (c === undefined) {
    const known = Object.keys(data);
    throw new UserError(`${source}: unknown column '${name}' in formula '${formula.text}' (columns: ${known.join(', ')})`);
  }
  return c;
}

function isMissing(c: Column, i: number): boolean {
  const v = c[i];
  return typeof v === 'number' ? Number.isNaN(v) : isMissingText(v as string | null | undefined);
}

/** Factor codes over the rows used, levels in code-point order of their text, or numeric order for numbers. */
function factor(c: Column, rows: Int32Array): { codes: Int32Array; levels: string[] } {
  const codes = new Int32Array(rows.length);
  if (isNumericColumn(c)) return numericFactor(c, rows, codes);
  const t = c as TextColumn;
  const index = new Map<string, number>();
  for (let r = 0; r < rows.length; r++) {
    const v = t[rows[r]] as string;
    let k = index.get(v);
    if (k === undefined) { k = index.size; index.set(v, k); }
    codes[r] = k;
  }
  const seen = [...index.keys()];
  const levels = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { codes: recode(codes, seen, levels), levels };
}

function numericFactor(c: NumericColumn, rows: Int32Array, codes: Int32Array): { codes: Int32Array; levels: string[] } {
  const index = new Map<number, number>();
  for (let r = 0; r < rows.length; r++) {
    const v = c[rows[r]];
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

/** The rows of `data` that `formula` can use, with its variables in working form. */
export function modelFrame(formula: Formula, data: Dataset, source = 'data'): ModelFrame {
  const total = rowCount(data, source);
  const groups = [...new Set(formula.random.map((r) => r.group))];
  if (groups.length === 0) throw new UserError(`formula '${formula.text}' has no random-effects term such as (1 | group)`);
  if (groups.length > 1) {
    throw new UserError(`formula '${formula.text}': only one grouping factor is supported for now, found ${groups.map((g) => `'${g}'`).join(' and ')}`);
  }
  const used = formula.variables.map((name) => [name, column(data, name, formula, source)] as const);
  const response = used[0][1];
  if (!isNumericColumn(response)) throw new UserError(`${source}: the response column '${formula.response}' is not numeric`);

  const keep: number[] = [];
  for (let i = 0; i < total; i++) {
    let ok = true;
    for (const [, c] of used) if (isMissing(c, i)) { ok = false; break; }
    if (ok) keep.push(i);
  }
  const rows = Int32Array.from(keep);
  const n = rows.length;
  if (n === 0) throw new UserError(`${source}: no row is complete in the formula's columns (${formula.variables.join(', ')})`);

  const groupName = groups[0];
  const variables = new Map<string, FrameVariable>();
  for (const [name, c] of used.slice(1)) {
    if (name === groupName && !formula.fixed.terms.some((t) => t.includes(name))) continue;
    if (isNumericColumn(c)) variables.set(name, { kind: 'numeric', values: take(c, rows) });
    else variables.set(name, { kind: 'factor', ...factor(c, rows) });
  }
  const group = factor(data[groupName], rows);
  const m = group.levels.length;
  if (m < 2) throw new UserError(`${source}: grouping factor '${groupName}' has ${m} level; it needs at least 2`);
  if (m >= n) {
    throw new UserError(`${source}: grouping factor '${groupName}' has ${m} levels for ${n} rows; it needs fewer levels than rows`);
  }
  return { n, dropped: total - n, y: take(response, rows), variables, groupName, group };
}

function take(c: NumericColumn, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = c[rows[r]];
  return out;
}
