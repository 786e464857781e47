/**
 * Seeded random-intercept/slope data:
 *   response_r = beta0 + beta1 X_r + b0[g_r] + b1[g_r] X_r + e_r,
 *   (b0, b1)_g ~ N(0, [[sd0^2, rho sd0 sd1], [rho sd0 sd1, sd1^2]]),  e_r ~ N(0, residualSd^2).
 * Draws come in a fixed order from the one stream: each row's group (uniform assignment only), the
 * covariate (each row's, or each group's for a covariate of the groups), each group's (z0, z1) pair, each
 * row's residual.
 */
import { showValue, UserError } from '../errors.ts';
import type { RandomStream } from '../rng/stream.ts';
import type { Dataset } from './dataset.ts';

/** How rows fall into groups. */
export type GroupAssignment =
  /** Each row's group uniformly at random (the seed study's `rng.integers(0, groups, rows)`). */
  | 'uniform'
  /** Sizes that differ by at most one (the first `rows % groups` groups one row larger), in blocks of rows. */
  | 'balanced'
  /** Group g's size proportional to g + 1 (largest remainder): from small groups to large ones, in blocks. */
  | 'unbalanced'
  /** These group sizes, summing to `rows`. */
  | { readonly sizes: readonly number[] };

/**
 * The covariate's distribution, and the units it is drawn for: each row (`level: 'row'`, the default), or
 * each group, whose rows all take its value (`level: 'group'`: a cluster-level covariate, such as the arm
 * of a cluster-randomised trial, whose effect has about groups - 2 degrees of freedom).
 */
export type CovariateDistribution = (
  | { readonly distribution: 'normal'; readonly mean?: number; readonly sd?: number }
  | { readonly distribution: 'uniform'; readonly min: number; readonly max: number }
  /** 1 with probability `p` (default 0.5), else 0, each unit on its own. */
  | { readonly distribution: 'bernoulli'; readonly p?: number }
  /**
   * Complete randomisation: exactly round(share x units) units are 1 (treated), chosen at random, and the
   * rest 0. `share` defaults to 0.5. Unlike Bernoulli draws, every dataset has both arms.
   */
  | { readonly distribution: 'treatment'; readonly share?: number }
) & { readonly level?: 'row' | 'group' };

/** Options of {@link simulateMixedData}. */
export interface MixedDataOptions {
  /** Rows N. */
  readonly rows: number;
  /** Groups m. */
  readonly groups: number;
  /** How rows fall into groups. Default `'uniform'`. */
  readonly assignment?: GroupAssignment;
  /** Fixed intercept beta0. */
  readonly intercept: number;
  /** Fixed slope beta1 of the covariate. */
  readonly slope: number;
  /** SD of the random intercepts. */
  readonly interceptSd: number;
  /** SD of the random slopes. Default 0. */
  readonly slopeSd?: number;
  /** Correlation of random intercept and slope. Default 0. */
  readonly correlation?: number;
  /** Residual SD. */
  readonly residualSd: number;
  /** The covariate's distribution. Default standard normal. */
  readonly covariate?: CovariateDistribution;
  /** Column names. Default `response`, `X`, `group` (the seed study's). */
  readonly names?: { readonly response?: string; readonly covariate?: string; readonly group?: string };
}

function check(condition: boolean, option: string, value: unknown, rule: string): void {
  if (!condition) throw new UserError(`simulateMixedData: option '${option}' ${rule}, not ${showValue(value)}`);
}

function groupSizes(assignment: Exclude<GroupAssignment, 'uniform'>, rows: number, groups: number): number[] {
  if (assignment === 'balanced') return Array.from({ length: groups }, (_, g) => Math.floor(rows / groups) + (g < rows % groups ? 1 : 0));
  if (assignment === 'unbalanced') {
    const total = (groups * (groups + 1)) / 2;
    const exact = Array.from({ length: groups }, (_, g) => (rows * (g + 1)) / total);
    const sizes = exact.map(Math.floor);
    const order = exact.map((e, g) => [e - sizes[g], g] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const remainder = rows - sizes.reduce((s, v) => s + v, 0);
    for (let k = 0; k < remainder; k++) sizes[order[k][1]]++;
    return sizes;
  }
  const sizes = [...assignment.sizes];
  check(sizes.length === groups, 'assignment.sizes', sizes.length, `must list ${groups} group sizes`);
  check(sizes.every((s) => Number.isInteger(s) && s >= 0), 'assignment.sizes', sizes, 'must be non-negative integers');
  check(sizes.reduce((s, v) => s + v, 0) === rows, 'assignment.sizes', sizes, `must sum to rows (${rows})`);
  return sizes;
}

/** Each row's group: drawn (uniform assignment) or in blocks of the assignment's sizes. */
function drawGroups(assignment: GroupAssignment, rows: number, groups: number, rng: RandomStream): Float64Array {
  const group = new Float64Array(rows);
  if (assignment === 'uniform') rng.integers(groups, group);
  else {
    let r = 0;
    groupSizes(assignment, rows, groups).forEach((size, g) => { for (let k = 0; k < size; k++) group[r++] = g; });
  }
  return group;
}

/** The covariate's values for `units` units (rows or groups). */
function drawValues(covariate: CovariateDistribution, units: number, rng: RandomStream): Float64Array {
  const x = new Float64Array(units);
  if (covariate.distribution === 'normal') {
    const mean = covariate.mean ?? 0;
    const sd = covariate.sd ?? 1;
    rng.standardNormals(x);
    // A standard normal covariate (the seed study's) is the draws as they are: 5000 rows 6 us sooner.
    if (mean !== 0 || sd !== 1) for (let r = 0; r < units; r++) x[r] = mean + sd * x[r];
  } else if (covariate.distribution === 'uniform') {
    const { min, max } = covariate;
    const uniform = rng.uniform;
    for (let r = 0; r < units; r++) x[r] = min + (max - min) * uniform();
  } else if (covariate.distribution === 'bernoulli') {
    const p = covariate.p ?? 0.5;
    for (let r = 0; r < units; r++) x[r] = rng.uniform() < p ? 1 : 0;
  } else {
    // The first round(share x units) are treated, then shuffled (Fisher-Yates, from the last unit down).
    x.fill(1, 0, Math.round((covariate.share ?? 0.5) * units));
    for (let r = units - 1; r > 0; r--) {
      const k = rng.integer(r + 1);
      const t = x[r];
      x[r] = x[k];
      x[k] = t;
    }
  }
  return x;
}

/** Each row's covariate X: its own draw, or its group's. */
function drawCovariate(covariate: CovariateDistribution, group: Float64Array, groups: number, rng: RandomStream): Float64Array {
  if ((covariate.level ?? 'row') === 'row') return drawValues(covariate, group.length, rng);
  const perGroup = drawValues(covariate, groups, rng);
  return group.map((g) => perGroup[g]);
}

/** Each group's (b0, b1): from a pair (z0, z1) of standard normals, b0 = sd0 z0, b1 = sd1 (rho z0 + sqrt(1 - rho^2) z1). */
function drawGroupEffects(groups: number, interceptSd: number, slopeSd: number, rho: number, rng: RandomStream) {
  const z = rng.standardNormals(new Float64Array(2 * groups));
  const b0 = new Float64Array(groups);
  const b1 = new Float64Array(groups);
  const rest = Math.sqrt(1 - rho * rho);
  for (let g = 0; g < groups; g++) {
    const z0 = z[2 * g];
    const z1 = z[2 * g + 1];
    b0[g] = interceptSd * z0;
    b1[g] = slopeSd * (rho * z0 + rest * z1);
  }
  return { b0, b1 };
}

/** Simulates one dataset of random-intercept/slope data from the stream (see the file's comment). */
export function simulateMixedData(options: MixedDataOptions, rng: RandomStream): Dataset {
  const { rows, groups, intercept, slope, interceptSd, residualSd } = options;
  const slopeSd = options.slopeSd ?? 0;
  const rho = options.correlation ?? 0;
  const assignment = options.assignment ?? 'uniform';
  const covariate = options.covariate ?? { distribution: 'normal' };
  checkOptions(options, { slopeSd, rho, assignment, covariate });

  const group = drawGroups(assignment, rows, groups, rng);
  const x = drawCovariate(covariate, group, groups, rng);
  const { b0, b1 } = drawGroupEffects(groups, interceptSd, slopeSd, rho, rng);
  const response = rng.standardNormals(new Float64Array(rows));
  for (let r = 0; r < rows; r++) {
    const g = group[r];
    response[r] = intercept + (slope + b1[g]) * x[r] + b0[g] + residualSd * response[r];
  }
  const names = options.names ?? {};
  return { [names.response ?? 'response']: response, [names.covariate ?? 'X']: x, [names.group ?? 'group']: group };
}

/** Refuses options that would make NaN data or data from another distribution, naming the option. */
function checkOptions(
  options: MixedDataOptions,
  { slopeSd, rho, assignment, covariate }: { slopeSd: number; rho: number; assignment: GroupAssignment; covariate: CovariateDistribution },
): void {
  const { rows, groups, intercept, slope, interceptSd, residualSd } = options;
  check(Number.isInteger(rows) && rows > 0, 'rows', rows, 'must be a positive integer');
  check(Number.isInteger(groups) && groups > 0, 'groups', groups, 'must be a positive integer');
  check(Number.isFinite(interceptSd) && interceptSd >= 0, 'interceptSd', interceptSd, 'must be a finite number >= 0');
  check(Number.isFinite(slopeSd) && slopeSd >= 0, 'slopeSd', slopeSd, 'must be a finite number >= 0');
  check(Number.isFinite(residualSd) && residualSd >= 0, 'residualSd', residualSd, 'must be a finite number >= 0');
  check(rho >= -1 && rho <= 1, 'correlation', rho, 'must be in [-1, 1]');
  check(Number.isFinite(intercept), 'intercept', intercept, 'must be a finite number');
  check(Number.isFinite(slope), 'slope', slope, 'must be a finite number');
  check(assignment === 'uniform' || assignment === 'balanced' || assignment === 'unbalanced' || (typeof assignment === 'object' && assignment !== null && Array.isArray(assignment.sizes)),
    'assignment', assignment, "must be 'uniform', 'balanced', 'unbalanced' or { sizes: [...] }");
  if (covariate.distribution === 'normal') {
    check(Number.isFinite(covariate.mean ?? 0), 'covariate.mean', covariate.mean, 'must be a finite number');
    check(Number.isFinite(covariate.sd ?? 1) && (covariate.sd ?? 1) >= 0, 'covariate.sd', covariate.sd, 'must be a finite number >= 0');
  } else if (covariate.distribution === 'uniform') {
    check(Number.isFinite(covariate.min) && Number.isFinite(covariate.max) && covariate.min < covariate.max, 'covariate', covariate, 'must have finite min < max');
  } else if (covariate.distribution === 'bernoulli') {
    const p = covariate.p ?? 0.5;
    check(p >= 0 && p <= 1, 'covariate.p', covariate.p, 'must be in [0, 1]');
  } else if (covariate.distribution === 'treatment') {
    const share = covariate.share ?? 0.5;
    check(share >= 0 && share <= 1, 'covariate.share', covariate.share, 'must be in [0, 1]');
  } else {
    check(false, 'covariate.distribution', (covariate as { distribution: unknown }).distribution, "must be 'normal', 'uniform', 'bernoulli' or 'treatment'");
  }
  const level = covariate.level ?? 'row';
  check(level === 'row' || level === 'group', 'covariate.level', covariate.level, "must be 'row' or 'group'");
}
