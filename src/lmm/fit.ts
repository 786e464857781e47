/**
 * fitLmm: lme4's pipeline, each step its own function: parse the formula -> model frame -> model matrices
 * -> sufficient statistics -> the profiled criterion of theta -> optimise -> assemble the fit.
 */
import { UserError } from '../errors.ts';
import type { Dataset } from '../data/dataset.ts';
import { parseFormula, type Formula } from '../formula/terms.ts';
import { ProfiledCriterion } from './criterion.ts';
import { inverseFromCholesky } from './dense.ts';
import { modelFrame, type ModelFrame } from './modelFrame.ts';
import { modelMatrix } from './modelMatrix.ts';
import { minimizeBounded } from './optimize.ts';
import { firstDependentColumn } from './rank.ts';
import { satterthwaiteDf } from './satterthwaite.ts';
import { profileIntervals, type ProfileInterval } from './profile.ts';
import { centreRandomEffects, randomEffectCentring, uncentreModes, uncentreTheta, type Centring } from './randomEffectCentring.ts';
import { randomEffectScales, scaleRandomEffects, scaleTheta, unscaleModes, unscaleTheta } from './randomEffectScale.ts';
import { offsetResponse } from './responseOffset.ts';
import { overflowingColumn, sufficientStats, type ModelArrays, type SufficientStats } from './sufficientStats.ts';
import { isSingular, relativeCovariance, thetaLayout, type ThetaLayout } from './theta.ts';
import { thetaSearch } from './thetaSearch.ts';
import { mapArray } from '../arrays.ts';

/** Options of {@link fitLmm}. */
export interface FitOptions {
  /** REML (the default, as lme4) or maximum likelihood (`false`). */
  readonly reml?: boolean;
  /** Where the data came from (a file name), for error messages. Default `'data'`. */
  readonly source?: string;
}

/** One row of the random-effects table, as lme4's `VarCorr`. */
export interface VarianceComponent {
  /** The grouping factor as lme4 prints it (`g`, `g.1` for a second term on `g`), or `Residual`. */
  readonly group: string;
  /** The random effect's column name (`(Intercept)`, `x`); empty for the residual. */
  readonly name: string;
  readonly variance: number;
  readonly sd: number;
}

/** A fitted linear mixed model. Names follow lme4: `fixef`, `sigma`, `theta`, `VarCorr`. */
export interface LmmFit {
  /** The formula as written. */
  readonly formula: string;
  readonly method: 'REML' | 'ML';
  /** Rows used. */
  readonly n: number;
  /** Rows dropped for a missing value in a variable of the formula. */
  readonly dropped: number;
  /** Levels per grouping factor. */
  readonly groups: Readonly<Record<string, number>>;
  /** Fixed-effects column names, in model-matrix order. */
  readonly fixefNames: readonly string[];
  /** Fixed effects by column name. */
  readonly fixef: Readonly<Record<string, number>>;
  /** Standard errors of the fixed effects by column name. */
  readonly se: Readonly<Record<string, number>>;
  /** Covariance of the fixed effects, p x p row-major in `fixefNames` order. */
  readonly vcov: Float64Array;
  /** Residual standard deviation. */
  readonly sigma: number;
  /** Covariance parameters in lme4's order. */
  readonly theta: readonly number[];
  /** Random-effect standard deviations keyed `group:term`. */
  readonly sd: Readonly<Record<string, number>>;
  /** Random-effect correlations keyed `group:term1:term2` (within a term's block). */
  readonly corr: Readonly<Record<string, number>>;
  /** The random-effects table (variances and SDs), residual last. */
  readonly varCorr: readonly VarianceComponent[];
  /** REML criterion (REML) or deviance (ML) at the optimum, as lme4 reports them. */
  readonly objective: number;
  readonly logLik: number;
  /** lme4's isSingular: a diagonal theta below 1e-4. */
  readonly singular: boolean;
  readonly converged: boolean;
  /** Criterion evaluations (each with its gradient). */
  readonly feval: number;
  /** The optimizer's reason for stopping. */
  readonly message: string;
  /** The theta layout (term blocks, bounds). */
  readonly layout: ThetaLayout;
  /** Random-effect names per block, in T's order. */
  readonly randomNames: readonly (readonly string[])[];
  /** Conditional modes of the random effects per level: `ranef()`. */
  ranef(): { readonly levels: readonly string[]; readonly names: readonly string[]; readonly values: Float64Array };
  /** Conditional residuals y - X beta - Z b, over the rows used. */
  residuals(): Float64Array;
  /**
   * Satterthwaite's denominator degrees of freedom of each fixed effect, as lmerTest computes them;
   * computed on first call (a fit that is not asked pays nothing).
   */
  satterthwaite(): Readonly<Record<string, number>>;
  /**
   * Profile-likelihood intervals of the fixed effects at `level`, as lme4's confint(method = "profile")
   * (ML profiles), with each coefficient's signed root likelihood-ratio statistic at 0.
   */
  profile(level?: number): Readonly<Record<string, ProfileInterval>>;
}

const formulaCache = new Map<string, Formula>();

/** Parses a formula once per text (a study refits the same formula many times). */
export function cachedFormula(formula: string | Formula): Formula {
  if (typeof formula !== 'string') return formula;
  let parsed = formulaCache.get(formula);
  if (!parsed) {
    parsed = parseFormula(formula);
    if (formulaCache.size > 256) formulaCache.clear();
    formulaCache.set(formula, parsed);
  }
  return parsed;
}

/** Model matrices of a formula over a model frame, with the names of the columns. */
export function modelArrays(formula: Formula, frame: ModelFrame, source: string): ModelArrays & {
  fixefNames: readonly string[]; randomNames: string[][];
} {
  const X = modelMatrix(formula.fixed, frame);
  const blocks = mapArray(formula.random, (term) => modelMatrix(term, frame));
  const m = frame.group.levels.length;
  if (X.names.length === 0) throw new UserError(`formula '${formula.text}' has no fixed effects; mixsim needs at least one`);
  // lme4's rule (check.nobs.vs.nRE): each term's random effects fewer than the rows; all terms' together may not be.
  for (const b of blocks) {
    if (frame.n <= m * b.names.length) {
      throw new UserError(`${source}: the random-effects term of ${b.names.join(', ')} by '${frame.groupName}' has ${m * b.names.length} random effects for ${frame.n} rows; a term's random effects must be fewer than the rows`);
    }
  }
  return {
    X: X.columns, Z: blocks.flatMap((b) => b.columns), y: frame.y, group: frame.group.codes, m,
    fixefNames: X.names, randomNames: mapArray(blocks, (b) => [...b.names]),
  };
}

/**
 * Fits a linear mixed model with one grouping factor by REML (default) or ML, as `lme4::lmer` does.
 *
 * @example
 * const fit = fitLmm('Reaction ~ Days + (Days | Subject)', sleepstudy);
 * fit.fixef.Days; fit.sd['Subject:Days']; fit.objective;
 */
export function fitLmm(formula: string | Formula, data: Dataset, options: FitOptions = {}): LmmFit {
  const reml = options.reml ?? true;
  const source = options.source ?? 'data';
  const parsed = cachedFormula(formula);
  const frame = modelFrame(parsed, data, source);
  const arrays = modelArrays(parsed, frame, source);
  const stats = sufficientStats(arrays);
  checkFiniteStats(stats, arrays, parsed, source);
  const dependent = firstDependentColumn(stats.XtX, stats.p);
  if (dependent >= 0) {
    throw new UserError(
      `${source}: the fixed-effects model matrix is rank deficient: column '${arrays.fixefNames[dependent]}' is a linear combination of the columns before it in '${parsed.text}'`,
    );
  }
  const layout = thetaLayout(mapArray(arrays.randomNames, (b) => b.length));
  // A response far from 0 next to its spread is fitted as y - X gamma, and gamma added back (responseOffset.ts);
  // random-effects columns far from 0 next to their spread are fitted centred (randomEffectCentring.ts), and
  // columns far from unit scale scaled by powers of 2 (randomEffectScale.ts).
  const offset = offsetResponse(arrays, stats);
  const fitting = offset?.stats ?? stats;
  const centring = randomEffectCentring(fitting, layout, arrays.randomNames);
  const centred = centring ? centreRandomEffects(fitting, centring) : fitting;
  const scales = randomEffectScales(centred);
  const criterion = new ProfiledCriterion(scales ? scaleRandomEffects(centred, scales) : centred, layout, reml);
  const result = minimizeBounded((theta, g) => criterion.evaluate(theta, g), layout.start, layout.lower, thetaSearch(layout));
  const objective = criterion.evaluate(result.x);
  // At a singular fit, Satterthwaite's df depend on the parametrisation the Hessian is taken in: after a
  // centring they are taken in lme4's, the columns as they are (scaled as they would be without the
  // centring), as lmerTest takes them. (X about 50 +- 2, 20 groups, REML, a singular fit: 5.8 df for x in the
  // centred theta, 19.1 in lme4's, 19.0 by lmerTest.)
  const uncentred = centring ? (theta: Float64Array): InferenceCriterion => {
    const d = randomEffectScales(fitting);
    return { criterion: new ProfiledCriterion(d ? scaleRandomEffects(fitting, d) : fitting, layout, reml), theta: d ? scaleTheta(layout, theta, d) : theta };
  } : null;
  return assemble({
    parsed, frame, arrays, fitted: offset?.arrays ?? arrays, gamma: offset?.gamma ?? new Float64Array(stats.p), centring, scales, uncentred,
    layout, criterion, criterionTheta: result.x, objective, converged: result.converged, message: result.message, reml,
  });
}

/**
 * Refuses a model column whose sum of squares overflows, naming it: no criterion could be computed (lme4
 * stops with "objective in x0 returns NA").
 */
function checkFiniteStats(stats: SufficientStats, arrays: ReturnType<typeof modelArrays>, parsed: Formula, source: string): void {
  const overflow = overflowingColumn(stats);
  if (!overflow) return;
  const { part, index } = overflow;
  const [name, values] = part === 'y' ? [parsed.response, arrays.y] : part === 'X' ? [arrays.fixefNames[index], arrays.X[index]] : [arrays.randomNames.flat()[index], arrays.Z[index]];
  const largest = values.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  throw new UserError(`${source}: column '${name}' is too large to fit: its sum of squares overflows (|values| up to ${largest}); rescale it`);
}

/** A criterion and the theta to take it at. */
interface InferenceCriterion {
  readonly criterion: ProfiledCriterion;
  readonly theta: Float64Array;
}

interface Assembly {
  parsed: Formula; frame: ModelFrame; arrays: ReturnType<typeof modelArrays>; layout: ThetaLayout;
  /** The arrays the criterion was built from (the response may be offset), and the offset's coefficients. */
  fitted: ModelArrays; gamma: Float64Array;
  /** The powers of 2 the criterion's random-effects columns are scaled by, or null; theta at its optimum. */
  scales: Float64Array | null; criterionTheta: Float64Array;
  /** The centring of the criterion's random-effects columns, or null. */
  centring: Centring | null;
  /** After a centring: the criterion Satterthwaite's df are taken in, at a fit's theta; else null (the fit's own). */
  uncentred: ((theta: Float64Array) => InferenceCriterion) | null;
  criterion: ProfiledCriterion; objective: number; converged: boolean; message: string; reml: boolean;
}

function assemble(a: Assembly): LmmFit {
  const { criterion, layout, arrays, frame, gamma, scales, centring, criterionTheta } = a;
  const unscaled = scales ? unscaleTheta(layout, criterionTheta, scales) : criterionTheta;
  const theta = centring ? uncentreTheta(layout, unscaled, centring) : unscaled;
  const p = arrays.X.length;
  const q = arrays.Z.length;
  const sigma = Math.sqrt(criterion.r2 / criterion.nu);
  const vcov = inverseFromCholesky(criterion.sxxFactor, p, new Float64Array(p * p)).map((v) => v * sigma * sigma);
  const fixef: Record<string, number> = {};
  const se: Record<string, number> = {};
  arrays.fixefNames.forEach((name, j) => { fixef[name] = criterion.beta[j] + gamma[j]; se[name] = Math.sqrt(vcov[j * p + j]); });
  const covariance = relativeCovariance(layout, theta);
  const sd: Record<string, number> = {};
  const corr: Record<string, number> = {};
  const varCorr: VarianceComponent[] = [];
  const group = frame.groupName;
  const seen = new Set<string>();
  layout.blocks.forEach(({ offset, size }, b) => {
    const names = arrays.randomNames[b];
    const printed = b === 0 ? group : `${group}.${b}`;
    // Keys are `group:term`; only a term repeated on the same factor takes lme4's printed name (`g.1`).
    const prefix = names.some((name) => seen.has(`${group}:${name}`)) ? printed : group;
    const variance = (j: number): number => covariance[(offset + j) * q + offset + j];
    for (let j = 0; j < size; j++) {
      seen.add(`${prefix}:${names[j]}`);
      const v = sigma * sigma * variance(j);
      sd[`${prefix}:${names[j]}`] = Math.sqrt(v);
      varCorr.push({ group: printed, name: names[j], variance: v, sd: Math.sqrt(v) });
      for (let l = 0; l < j; l++) {
        const denominator = Math.sqrt(variance(j) * variance(l));
        corr[`${prefix}:${names[l]}:${names[j]}`] = denominator > 0 ? covariance[(offset + j) * q + offset + l] / denominator : NaN;
      }
    }
  });
  varCorr.push({ group: 'Residual', name: '', variance: sigma * sigma, sd: sigma });
  const fittedBeta = Float64Array.from(criterion.beta);
  const unscaledModes = scales ? unscaleModes(criterion.conditionalModes(), scales) : criterion.conditionalModes();
  const modes = centring ? uncentreModes(unscaledModes, centring) : unscaledModes;
  let df: Float64Array | undefined;
  return {
    formula: a.parsed.text,
    method: a.reml ? 'REML' : 'ML',
    n: frame.n,
    dropped: frame.dropped,
    groups: { [group]: frame.group.levels.length },
    fixefNames: arrays.fixefNames,
    fixef, se, vcov, sigma,
    theta: Array.from(theta),
    sd, corr, varCorr,
    objective: a.objective,
    logLik: -a.objective / 2,
    singular: isSingular(layout, theta),
    converged: a.converged,
    feval: criterion.evaluations,
    message: a.message,
    layout,
    randomNames: arrays.randomNames,
    ranef: () => ({ levels: frame.group.levels, names: arrays.randomNames.flat(), values: modes }),
    residuals: () => conditionalResiduals(a.fitted, fittedBeta, modes),
    profile: (level = 0.95) => {
      const intervals = profileIntervals(criterion.stats, layout, criterionTheta, { level, offset: gamma });
      return Object.fromEntries(arrays.fixefNames.map((name, j) => [name, intervals[j]]));
    },
    satterthwaite: () => {
      if (!df) {
        const at = a.uncentred ? a.uncentred(theta) : { criterion, theta: criterionTheta };
        df = satterthwaiteDf(at.criterion, Array.from(at.theta), sigma, vcov);
      }
      const out: Record<string, number> = {};
      arrays.fixefNames.forEach((name, j) => { out[name] = df![j]; });
      return out;
    },
  };
}

function conditionalResiduals({ X, Z, y, group }: ModelArrays, beta: Float64Array, b: Float64Array): Float64Array {
  const q = Z.length;
  const out = Float64Array.from(y);
  X.forEach((x, j) => { for (let r = 0; r < y.length; r++) out[r] -= x[r] * beta[j]; });
  Z.forEach((z, j) => { for (let r = 0; r < y.length; r++) out[r] -= z[r] * b[group[r] * q + j]; });
  return out;
}
