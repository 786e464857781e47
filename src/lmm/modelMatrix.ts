/**
 * Model matrices from terms, as R's model.matrix with treatment contrasts: a numeric variable is one column;
 * a factor in a term is coded by contrasts (levels after the first) when the term without it is in the
 * model, and by one indicator per level otherwise (R's rule; without an intercept the first factor gets all
 * its levels). Columns of an interaction vary the first variable fastest and are named `a:bL`.
 */
import { UserError } from '../errors.ts';
import type { Term, TermList } from '../formula/terms.ts';
import type { FrameVariable, ModelFrame } from './modelFrame.ts';
import { mapArray } from '../arrays.ts';

/** A model matrix, column by column. */
export interface ModelMatrix {
  /** Column names, lme4's (`(Intercept)`, `x`, `fB`, `x:z`). */
  readonly names: readonly string[];
  /**
   * The columns over the frame's rows. A column with the same name is the same array in every model
   * matrix of one frame (a numeric variable's column is the frame's own array), so shared columns of X
   * and Z are recognised by identity.
   */
  readonly columns: readonly Float64Array[];
  /** The term each column comes from (`(Intercept)` for the intercept), for messages. */
  readonly terms: readonly string[];
}

interface Coding { readonly variable: FrameVariable; readonly name: string; readonly full: boolean }

function variableOf(frame: ModelFrame, name: string): FrameVariable {
  const v = frame.variables.get(name);
  if (!v) throw new Error(`internal: variable '${name}' missing from the model frame`);
  return v;
}

/** Per term, which factors are coded by all their levels (R's TermCode rule). */
function codings(list: TermList, frame: ModelFrame): Coding[][] {
  const present = new Set(list.terms.map((t) => [...t].sort().join(':')));
  present.add('');
  const out = mapArray(list.terms, (t) => mapArray(t, (name) => {
    const variable = variableOf(frame, name);
    const without = t.filter((v) => v !== name).sort().join(':');
    return { variable, name, full: variable.kind === 'factor' && !present.has(without) };
  }));
  if (!list.intercept) {
    const first = out.find((codes) => codes.some((c) => c.variable.kind === 'factor'));
    const factorCode = first?.find((c) => c.variable.kind === 'factor');
    if (first && factorCode) first[first.indexOf(factorCode)] = { ...factorCode, full: true };
  }
  return out;
}

/** Sub-columns of one variable in a term: names, and for factors the first level used. */
function parts(c: Coding): { names: string[]; firstLevel: number } {
  if (c.variable.kind === 'numeric') return { names: [c.name], firstLevel: 0 };
  const firstLevel = c.full ? 0 : 1;
  return { names: c.variable.levels.slice(firstLevel).map((l) => c.name + l), firstLevel };
}

/** The columns of one term: a numeric main effect is the variable itself; others are built once per frame. */
function termColumns(term: Term, codes: Coding[], frame: ModelFrame): { names: string[]; columns: Float64Array[] } {
  const sub = mapArray(codes, parts);
  let names: string[] = [''];
  sub.forEach((s, k) => {
    const next: string[] = [];
    for (const name of s.names) for (const prefix of names) next.push(k === 0 ? name : `${prefix}:${name}`);
    names = next;
  });
  if (names.length === 0) throw new UserError(`term '${term.join(':')}' has no columns: a factor in it has a single level`);
  if (codes.length === 1 && codes[0].variable.kind === 'numeric') return { names, columns: [codes[0].variable.values] };
  const cached = mapArray(names, (name) => frame.columns.get(name));
  if (cached.every((c) => c !== undefined)) return { names, columns: cached as Float64Array[] };
  const n = frame.n;
  const columns = mapArray(names, () => new Float64Array(n));
  const widths = mapArray(sub, (s) => s.names.length);
  // With the first variable fastest, a row's column is sum_k j_k * prod_{l<k} width_l; a row at the
  // reference level of a contrast-coded factor is zero in the whole term.
  for (let r = 0; r < n; r++) {
    let offset = 0;
    let stride = 1;
    let value = 1;
    let inTerm = true;
    for (let k = 0; k < codes.length; k++) {
      const v = codes[k].variable;
      if (v.kind === 'numeric') value *= v.values[r];
      else {
        const j = v.codes[r] - sub[k].firstLevel;
        if (j < 0) { inTerm = false; break; }
        offset += j * stride;
      }
      stride *= widths[k];
    }
    if (inTerm) columns[offset][r] = value;
  }
  names.forEach((name, j) => frame.columns.set(name, columns[j]));
  return { names, columns };
}

/** Ones, shared by every model of this thread and never written: the intercept column is a view of it. */
let sharedOnes = new Float64Array(0);

function interceptColumn(frame: ModelFrame): Float64Array {
  let ones = frame.columns.get('(Intercept)');
  if (!ones) {
    if (sharedOnes.length < frame.n) sharedOnes = new Float64Array(Math.max(frame.n, 2 * sharedOnes.length)).fill(1);
    ones = sharedOnes.subarray(0, frame.n);
    frame.columns.set('(Intercept)', ones);
  }
  return ones;
}

/** The model matrix of a term list over the frame's rows. */
export function modelMatrix(list: TermList, frame: ModelFrame): ModelMatrix {
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const terms: string[] = [];
  if (list.intercept) { names.push('(Intercept)'); columns.push(interceptColumn(frame)); terms.push('(Intercept)'); }
  codings(list, frame).forEach((codes, t) => {
    const block = termColumns(list.terms[t], codes, frame);
    names.push(...block.names);
    columns.push(...block.columns);
    terms.push(...block.names.map(() => list.terms[t].join(':')));
  });
  return { names, columns, terms };
}
