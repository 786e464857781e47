/**
 * R's term algebra: an expression tree -> the fixed-effects terms and the random-effects terms of an lme4
 * formula. `a*b` = `a + b + a:b`; `0`/`-1` drop the intercept; terms are ordered by degree (main effects
 * first), variables inside a term by their first appearance in the formula, as `terms()` in R does.
 */
import { UserError } from '../errors.ts';
import { parseFormulaText, type Expr } from './parse.ts';

/** A model term: the variables whose product it is (`['x', 'z']` is `x:z`). */
export type Term = readonly string[];

/** A linear predictor: an intercept or not, and its terms (without the intercept). */
export interface TermList {
  /** Whether the predictor has an intercept column, `(Intercept)`. */
  readonly intercept: boolean;
  /** The terms, main effects first. */
  readonly terms: readonly Term[];
}

/** One random-effects term of lme4 syntax, `(effects | group)`, after `||` has been split. */
export interface RandomTerm extends TermList {
  /** The grouping factor's column. */
  readonly group: string;
}

/** A parsed lme4 formula. */
export interface Formula {
  /** The formula as written. */
  readonly text: string;
  /** The response column. */
  readonly response: string;
  /** The fixed-effects part. */
  readonly fixed: TermList;
  /** Random-effects terms, in formula order (`(x || g)` gives two). */
  readonly random: readonly RandomTerm[];
  /** Every column the formula names, response first, in order of appearance. */
  readonly variables: readonly string[];
}

interface Expansion { terms: Term[]; dropIntercept: boolean; bars: Extract<Expr, { kind: 'bar' }>[] }

const termKey = (t: Term): string => [...t].sort().join(':');

function union(a: Term[], b: Term[]): Term[] {
  const seen = new Set(a.map(termKey));
  const out = [...a];
  for (const t of b) if (!seen.has(termKey(t))) { seen.add(termKey(t)); out.push(t); }
  return out;
}

function expand(e: Expr, text: string, topLevel: boolean): Expansion {
  switch (e.kind) {
    case 'variable':
      return { terms: [[e.name]], dropIntercept: false, bars: [] };
    case 'number':
      if (e.value === 1) return { terms: [[]], dropIntercept: false, bars: [] };
      if (e.value === 0) return { terms: [], dropIntercept: true, bars: [] };
      throw new UserError(`malformed formula '${text}': the number ${e.value} is not a term (only 0, 1, -1)`);
    case 'bar':
      if (!topLevel) throw new UserError(`malformed formula '${text}': random term (${e.text}) must stand alone, added with '+'`);
      return { terms: [], dropIntercept: false, bars: [e] };
    case 'sum': {
      const left = e.left ? expand(e.left, text, topLevel) : { terms: [[]], dropIntercept: false, bars: [] };
      const right = expand(e.right, text, topLevel);
      if (e.op === '+') {
        return {
          terms: union(left.terms, right.terms),
          dropIntercept: (left.dropIntercept && !right.terms.some((t) => t.length === 0)) || right.dropIntercept,
          bars: [...left.bars, ...right.bars],
        };
      }
      if (right.bars.length) throw new UserError(`malformed formula '${text}': a random term cannot be subtracted`);
      const removed = new Set(right.terms.map(termKey));
      return {
        terms: left.terms.filter((t) => !removed.has(termKey(t))),
        dropIntercept: left.dropIntercept || removed.has(''),
        bars: left.bars,
      };
    }
    case 'interaction': {
      const left = expand(e.left, text, false);
      const right = expand(e.right, text, false);
      const products: Term[] = [];
      for (const a of left.terms) for (const b of right.terms) products.push([...new Set([...a, ...b])]);
      const terms = e.op === '*' ? union(union(left.terms, right.terms), products) : union([], products);
      return { terms, dropIntercept: false, bars: [] };
    }
  }
}

function variablesOf(e: Expr, out: string[]): string[] {
  switch (e.kind) {
    case 'variable': if (!out.includes(e.name)) out.push(e.name); break;
    case 'number': break;
    case 'sum': if (e.left) variablesOf(e.left, out); variablesOf(e.right, out); break;
    case 'interaction': variablesOf(e.left, out); variablesOf(e.right, out); break;
    case 'bar': variablesOf(e.effects, out); variablesOf(e.group, out); break;
  }
  return out;
}

function termList(e: Expansion, order: readonly string[]): TermList {
  const byAppearance = (t: Term): Term => [...t].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const terms = e.terms.filter((t) => t.length > 0).map(byAppearance);
  // Stable sort by degree, as R's terms() with keep.order = FALSE.
  const sorted = terms.map((t, i) => ({ t, i })).sort((a, b) => a.t.length - b.t.length || a.i - b.i).map((x) => x.t);
  return { intercept: !e.dropIntercept, terms: sorted };
}

function randomTerms(bar: Extract<Expr, { kind: 'bar' }>, text: string, order: readonly string[]): RandomTerm[] {
  if (bar.group.kind !== 'variable') {
    throw new UserError(
      `unsupported random term (${bar.text}) in '${text}': the grouping factor must be a single column (nested or crossed grouping like a/b or a:b is not supported yet)`,
    );
  }
  const group = bar.group.name;
  const effects = termList(expand(bar.effects, text, false), order);
  if (!effects.intercept && effects.terms.length === 0) {
    throw new UserError(`malformed formula '${text}': random term (${bar.text}) has no effects`);
  }
  if (!bar.double) return [{ ...effects, group }];
  // (a + b || g) is (1 | g) + (0 + a | g) + (0 + b | g), as lme4's expandDoubleVerts.
  const split: RandomTerm[] = [];
  if (effects.intercept) split.push({ intercept: true, terms: [], group });
  for (const t of effects.terms) split.push({ intercept: false, terms: [t], group });
  return split;
}

/** Parses an lme4 formula such as `y ~ x * f + (1 + x | g)`. Throws a {@link UserError} naming the problem. */
export function parseFormula(text: string): Formula {
  const { response, rhs } = parseFormulaText(text);
  const order = variablesOf(rhs, [response]);
  const top = expand(rhs, text, true);
  const fixed = termList(top, order);
  for (const t of fixed.terms) {
    if (t.includes(response)) throw new UserError(`malformed formula '${text}': the response '${response}' also appears on the right-hand side`);
  }
  const random = top.bars.flatMap((b) => randomTerms(b, text, order));
  return { text, response, fixed, random, variables: order };
}
