/**
 * Model matrices from terms, as R's model.matrix with treatment contrasts: a numeric variable is one column;
 * a factor in a term is coded by contrasts (levels after the first) when the term without it is in the
 * model, and by one indicator per level otherwise (R's rule; without an intercept the first factor gets all
 * its levels). Columns of an interaction vary the first variable fastest and are named `a:bL`.
 */
import { UserError } from '../errors.ts';
import type { Term, TermList } from '../formula/terms.ts';
import type { FrameVariable, ModelFrame } from './modelFrame.ts';

/** A dense model matrix, row-major. */
export interface ModelMatrix {
  /** Column names, lme4's (`(Intercept)`, `x`, `fB`, `x:z`). */
  readonly names: readonly string[];
  /** Rows x columns values, row-major. */
  readonly values: Float64Array;
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
  const out = list.terms.map((t) => t.map((name) => {
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

/** One block of columns: their names, and how to write them into a row-major matrix. */
interface ColumnBlock {
  readonly names: readonly string[];
  readonly term: string;
  write(values: Float64Array, p: number, firstColumn: number): void;
}

function interceptBlock(n: number): ColumnBlock {
  return {
    names: ['(Intercept)'],
    term: '(Intercept)',
    write(values, p, col) { for (let r = 0; r < n; r++) values[r * p + col] = 1; },
  };
}

function termBlock(term: Term, codes: Coding[], n: number): ColumnBlock {
  const sub = codes.map(parts);
  let names: string[] = [''];
  sub.forEach((s, k) => {
    const next: string[] = [];
    for (const name of s.names) for (const prefix of names) next.push(k === 0 ? name : `${prefix}:${name}`);
    names = next;
  });
  if (names.length === 0) throw new UserError(`term '${term.join(':')}' has no columns: a factor in it has a single level`);
  const widths = sub.map((s) => s.names.length);
  return {
    names,
    term: term.join(':'),
    // With the first variable fastest, a row's column is sum_k j_k * prod_{l<k} width_l; a factor row at
    // the reference level of a contrast-coded factor has zeros in the whole block.
    write(values, p, col) {
      for (let r = 0; r < n; r++) {
        let offset = 0;
        let stride = 1;
        let value = 1;
        let inBlock = true;
        for (let k = 0; k < codes.length; k++) {
          const v = codes[k].variable;
          if (v.kind === 'numeric') value *= v.values[r];
          else {
            const j = v.codes[r] - sub[k].firstLevel;
            if (j < 0) { inBlock = false; break; }
            offset += j * stride;
          }
          stride *= widths[k];
        }
        if (inBlock) values[r * p + col + offset] = value;
      }
    },
  };
}

/** The model matrix of a term list over the frame's rows. */
export function modelMatrix(list: TermList, frame: ModelFrame): ModelMatrix {
  const blocks: ColumnBlock[] = list.intercept ? [interceptBlock(frame.n)] : [];
  codings(list, frame).forEach((codes, t) => blocks.push(termBlock(list.terms[t], codes, frame.n)));
  const names = blocks.flatMap((b) => b.names);
  const values = new Float64Array(frame.n * names.length);
  let col = 0;
  for (const b of blocks) {
    b.write(values, names.length, col);
    col += b.names.length;
  }
  return { names, values, terms: blocks.flatMap((b) => b.names.map(() => b.term)) };
}
