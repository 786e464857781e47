/**
 * The design grid: every combination of the factors' levels, the first factor varying fastest (as R's
 * expand.grid and SimDesign's createDesign). A condition's index in this full grid is part of its
 * replicates' seeds, so selecting conditions (--where) never changes their results.
 */
import { UserError } from '../errors.ts';
import type { Condition, Design, Level } from './define.ts';

/** A condition with its index in the full grid. */
export interface IndexedCondition<D extends Design = Design> {
  readonly index: number;
  readonly values: Condition<D>;
}

/** Every condition of the design, in grid order. */
export function conditions<D extends Design>(design: D): IndexedCondition<D>[] {
  const factors = Object.keys(design);
  const total = factors.reduce((n, f) => n * design[f].length, 1);
  const out: IndexedCondition<D>[] = [];
  for (let index = 0; index < total; index++) {
    const values: Record<string, Level> = {};
    let rest = index;
    for (const f of factors) {
      const levels = design[f];
      values[f] = levels[rest % levels.length];
      rest = Math.floor(rest / levels.length);
    }
    // Frozen: every replicate of a thread is handed the same object, so a change one made would reach the next.
    out.push({ index, values: Object.freeze(values) as Condition<D> });
  }
  return out;
}

/** A `factor=value` filter of conditions. */
export interface ConditionFilter { readonly factor: string; readonly value: string }

/** Parses `factor=value` filters, checking factor names and values against the design. */
export function parseFilters(filters: readonly string[], design: Design): ConditionFilter[] {
  return filters.map((text) => {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UserError(`--where '${text}' is not of the form factor=value`);
    const factor = text.slice(0, eq).trim();
    const value = text.slice(eq + 1).trim();
    const levels = design[factor];
    if (!levels) throw new UserError(`--where: unknown design factor '${factor}' (factors: ${Object.keys(design).join(', ')})`);
    // A number may be written another way (.25 for 0.25, 5e1 for 50).
    const level = levels.find((l) => String(l) === value || (typeof l === 'number' && value !== '' && Number(value) === l));
    if (level === undefined) {
      throw new UserError(`--where: factor '${factor}' has no value '${value}' (values: ${levels.map(String).join(', ')})`);
    }
    return { factor, value: String(level) };
  });
}

/** The conditions that match every filter (filters on one factor are alternatives). */
export function selectConditions<D extends Design>(all: readonly IndexedCondition<D>[], filters: readonly ConditionFilter[]): IndexedCondition<D>[] {
  const byFactor = new Map<string, Set<string>>();
  for (const f of filters) byFactor.set(f.factor, (byFactor.get(f.factor) ?? new Set()).add(f.value));
  return all.filter((c) => [...byFactor].every(([factor, values]) => values.has(String((c.values as Record<string, Level>)[factor]))));
}
