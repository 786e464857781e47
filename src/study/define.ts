/**
 * A study: SimDesign's generate / analyse / summarise contract over a crossed design of named factors.
 * A study file exports `defineStudy({...})` as its default export.
 */
import { showValue, UserError } from '../errors.ts';
import type { Dataset } from '../data/dataset.ts';
import type { LmmFit } from '../lmm/fit.ts';
import type { IntervalMethod } from '../lmm/intervals.ts';
import { checkSeed } from '../rng/seed.ts';
import type { RandomStream } from '../rng/stream.ts';
import { REPLICATE_COLUMNS, SUMMARY_COLUMNS } from '../summary/columns.ts';

/** A design factor's level. */
export type Level = number | string | boolean;

/** Design factors by name, each with its levels (crossed into conditions, as SimDesign's createDesign). */
export type Design = Readonly<Record<string, readonly Level[]>>;

/** One condition of a design: a level of every factor. */
export type Condition<D extends Design> = { readonly [K in keyof D]: D[K][number] };

/** One estimate of one parameter, as an estimator returns it. */
export interface Estimate {
  /** Parameter name, matching a key of the study's `truth`. */
  readonly parameter: string;
  readonly estimate: number;
  /** Model-based standard error, where there is one. */
  readonly se?: number;
  /** Confidence limits, where there are some. */
  readonly ciLower?: number;
  readonly ciUpper?: number;
  /** How the interval was made (`wald`, `satterthwaite`, ...). */
  readonly ciMethod?: string;
}

/** A mixed-model fit with the interval methods its fixed effects are reported with. */
export interface LmmEstimate {
  readonly fit: LmmFit;
  readonly intervals: readonly IntervalMethod[];
}

/**
 * What an estimator returns: a mixed-model fit (its parameters are listed without the user naming them;
 * Wald intervals), a fit with its interval methods, a list of estimates, or a record of parameter -> estimate.
 */
export type EstimatorResult = LmmFit | LmmEstimate | readonly Estimate[] | Readonly<Record<string, number>>;

/**
 * An estimator: analyses one dataset. `rng` is its own seeded stream in this replicate (for a bootstrap or
 * a permutation test), a function of the study seed, condition, replicate and the estimator's name alone;
 * Math.random is refused, as it cannot be seeded.
 */
export type Estimator<D extends Design> = (data: Dataset, condition: Condition<D>, rng: RandomStream) => EstimatorResult;

/** What a study file defines. */
export interface StudyDefinition<D extends Design> {
  /** The study's name (the file name without `.ts` when left out). */
  readonly name?: string;
  /** One line that says what the study asks. */
  readonly description?: string;
  /** Design factors, crossed into conditions. */
  readonly design: D;
  /** Replications per condition. */
  readonly replications: number;
  /** The study seed, an integer in [0, 2^32). */
  readonly seed: number;
  /** Generates one dataset for a condition from the replicate's own random stream. */
  generate(condition: Condition<D>, rng: RandomStream): Dataset;
  /** Named estimators; each analyses every dataset. */
  readonly estimators: Readonly<Record<string, Estimator<D>>>;
  /**
   * The estimator whose precision the others' is measured against (summary.csv's `rel_precision`, as
   * rsimsum's `ref`). Default: the first estimator.
   */
  readonly reference?: string;
  /** The true value of each parameter in a condition. */
  truth(condition: Condition<D>): Readonly<Record<string, number>>;
  /** Nominal coverage of the intervals estimators report. Default 0.95. */
  readonly level?: number;
}

/** A validated study. */
export interface Study<D extends Design = Design> extends StudyDefinition<D> {
  readonly kind: 'mixsim-study';
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const TABLE_COLUMNS: ReadonlySet<string> = new Set([...REPLICATE_COLUMNS, ...SUMMARY_COLUMNS]);

/**
 * Defines a study (the default export of a study file). Checks the definition and throws a message that
 * names the option and value at fault.
 */
export function defineStudy<const D extends Design>(definition: StudyDefinition<D>): Study<D> {
  const where = `study${definition.name ? ` '${definition.name}'` : ''}`;
  if (typeof definition.design !== 'object' || definition.design === null || Array.isArray(definition.design)) {
    throw new UserError(`${where}: 'design' must be an object of factor -> values, like { n_groups: [5, 50] }`);
  }
  for (const [factor, levels] of Object.entries(definition.design)) {
    if (!NAME.test(factor)) throw new UserError(`${where}: design factor name '${factor}' is not a plain name`);
    if (TABLE_COLUMNS.has(factor)) throw new UserError(`${where}: design factor name '${factor}' is a column of the result tables already; name it otherwise`);
    if (!Array.isArray(levels) || levels.length === 0) throw new UserError(`${where}: design factor '${factor}' has no values`);
    const odd = levels.find((l) => !(typeof l === 'string' || typeof l === 'boolean' || (typeof l === 'number' && Number.isFinite(l))));
    if (odd !== undefined || levels.some((l) => l === undefined)) {
      throw new UserError(`${where}: design factor '${factor}' has the value ${showValue(odd)}: values are finite numbers, strings or booleans`);
    }
    if (new Set(levels.map(String)).size !== levels.length) throw new UserError(`${where}: design factor '${factor}' repeats a value`);
  }
  if (!Number.isInteger(definition.replications) || definition.replications < 1) {
    throw new UserError(`${where}: 'replications' must be a positive integer, not ${definition.replications}`);
  }
  checkSeed(definition.seed, `${where}: 'seed'`);
  if (typeof definition.generate !== 'function') throw new UserError(`${where}: 'generate' must be a function (condition, rng) => dataset`);
  if (typeof definition.truth !== 'function') throw new UserError(`${where}: 'truth' must be a function condition => { parameter: value }`);
  const names = Object.keys(definition.estimators ?? {});
  if (names.length === 0) throw new UserError(`${where}: 'estimators' names no estimator`);
  for (const name of names) {
    if (!NAME.test(name)) throw new UserError(`${where}: estimator name '${name}' is not a plain name`);
    if (typeof definition.estimators[name] !== 'function') throw new UserError(`${where}: estimator '${name}' is not a function`);
  }
  if (definition.reference !== undefined && !names.includes(definition.reference)) {
    throw new UserError(`${where}: 'reference' is ${showValue(definition.reference)}, not one of the estimators (${names.join(', ')})`);
  }
  const level = definition.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new UserError(`${where}: 'level' must be in (0, 1), not ${level}`);
  return { ...definition, level, kind: 'mixsim-study' };
}

/** The estimator relative precision is measured against: the study's `reference`, or its first estimator. */
export function referenceEstimator<D extends Design>(study: Study<D>): string {
  return study.reference ?? Object.keys(study.estimators)[0];
}

/**
 * The estimators a run analyses with: those named (`--estimators`), each checked to be the study's and
 * taken once, or all of the study's, in its order.
 */
export function chosenEstimators<D extends Design>(study: Study<D>, names?: readonly string[]): string[] {
  const all = Object.keys(study.estimators);
  for (const e of names ?? []) {
    if (!all.includes(e)) throw new UserError(`--estimators: unknown estimator '${e}' (estimators: ${all.join(', ')})`);
  }
  return names ? [...new Set(names)] : all;
}

/** Whether a module's default export is a study made by {@link defineStudy}. */
export function isStudy(value: unknown): value is Study {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'mixsim-study';
}

/**
 * The true values of a condition, as the study's `truth` gives them, checked: an object of numbers (NaN
 * where a parameter has none). A truth that throws or gives anything else is a {@link UserError} naming
 * the condition; a run asks for every condition's truth before its first replicate.
 */
export function trueValues<D extends Design>(study: Study<D>, condition: Condition<D>): Readonly<Record<string, number>> {
  const where = `study${study.name ? ` '${study.name}'` : ''}: truth(${JSON.stringify(condition)})`;
  let truth: unknown;
  try {
    truth = study.truth(condition);
  } catch (error) {
    throw new UserError(`${where} threw: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof truth !== 'object' || truth === null || Array.isArray(truth)) throw new UserError(`${where} returned ${showValue(truth)}, not { parameter: value }`);
  for (const [parameter, value] of Object.entries(truth)) {
    if (typeof value !== 'number') throw new UserError(`${where} gives '${parameter}' the value ${showValue(value)}, not a number (NaN where there is no true value)`);
  }
  return truth as Readonly<Record<string, number>>;
}
