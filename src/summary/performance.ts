/**
 * Performance measures of an estimator over replicates, with Monte Carlo standard errors, as in Morris,
 * White & Crowther (2019), "Using simulation studies to evaluate statistical methods", Stat Med 38:2074,
 * Table 6. Accumulated in one pass (Welford's update for the mean and spread), and a second for
 * bias-eliminated coverage (below), so memory does not grow with the number of replicates; rows are fed in
 * a fixed order so the sums, and the table, are the same to the last digit for any number of workers.
 * Table 6's one measure of two estimators, relative precision, is in relativePrecision.ts.
 *
 * With n usable estimates t_i of truth T, mean m, and model SEs s_i (n_s of them):
 *   bias = m - T,                          MCSE = EmpSE / sqrt(n)
 *   relative bias = bias / T,              MCSE = MCSE(bias) / |T|
 *   EmpSE = sqrt(sum (t_i - m)^2 / (n - 1)),   MCSE = EmpSE / sqrt(2 (n - 1))
 *   ModSE = sqrt(mean s_i^2),              MCSE = sqrt(Var(s_i^2) / (4 n_s ModSE^2))
 *   relative error of ModSE = ModSE / EmpSE - 1,
 *                                          MCSE = (ModSE / EmpSE) sqrt(Var(s_i^2) / (4 n_s ModSE^4) + 1 / (2 (n - 1)))
 *   RMSE = sqrt(MSE), MSE = mean e_i^2 with e_i = t_i - T,
 *                                          MCSE = MCSE(MSE) / (2 RMSE), MCSE(MSE) = sqrt(Var(e_i^2) / n)
 *   coverage = share of intervals holding T,         MCSE = sqrt(coverage (1 - coverage) / n_intervals)
 *   bias-eliminated coverage = share of intervals holding m,
 *                                          MCSE = sqrt(be_coverage (1 - be_coverage) / n_intervals)
 *   power = share of intervals that exclude 0,       MCSE = sqrt(power (1 - power) / n_intervals)
 *   interval width = mean of w_i = upper_i - lower_i,  MCSE = sqrt(Var(w_i) / n_intervals)
 * where Var is the sample variance (divisor n - 1). The relative error of ModSE is a ratio here, not Table
 * 6's percentage. RMSE's MCSE is MSE's by the delta method. The MCSEs are those of rsimsum (Gasparini 2018,
 * JOSS 3:739, `R/performance.R`), which implements Table 6. Power is the rejection rate of the two-sided test
 * of a zero parameter that the interval inverts, at 1 - the interval's level (where the truth is 0, its type
 * I error rate); it needs no truth, nor does the mean interval width (SimDesign's `ECR(..., CI_width =
 * TRUE)`), which weighs what an interval's coverage costs: of two methods that cover alike, the narrower is
 * better. Bias-eliminated coverage needs the mean of all estimates before the first interval is counted: the intervals are fed again once every estimate was (`addCentred`), a second
 * pass over the rows (tables.ts). It tells the coverage an interval would have if the estimator were
 * unbiased: where coverage is low and bias-eliminated coverage is not, the bias is to blame, not the SEs.
 */

/** The performance of one estimator for one parameter in one condition. */
export interface Performance {
  readonly trueValue: number;
  /** Replicates with a finite estimate. */
  readonly nReps: number;
  /** Replicates where the estimator failed. */
  readonly nFailed: number;
  readonly nNonConverged: number;
  readonly nSingular: number;
  readonly meanEstimate: number;
  readonly bias: number;
  readonly biasMcse: number;
  /** bias / true value (NaN where the truth is 0 or unknown). */
  readonly relBias: number;
  readonly relBiasMcse: number;
  readonly empSe: number;
  readonly empSeMcse: number;
  /** Root mean squared model SE. */
  readonly modelSe: number;
  readonly modelSeMcse: number;
  /** modelSe / empSe - 1. */
  readonly modelSeRelError: number;
  readonly modelSeRelErrorMcse: number;
  readonly rmse: number;
  readonly rmseMcse: number;
  readonly coverage: number;
  readonly coverageMcse: number;
  /** Share of intervals holding the mean estimate (NaN until the intervals were fed again: `addCentred`). */
  readonly beCoverage: number;
  readonly beCoverageMcse: number;
  /** Share of intervals that exclude 0. */
  readonly power: number;
  readonly powerMcse: number;
  /** Mean width of the intervals (upper - lower). */
  readonly ciWidth: number;
  readonly ciWidthMcse: number;
}

/** A running mean and sum of squared deviations (Welford's update), for a sample variance in one pass. */
class RunningVariance {
  n = 0;
  mean = 0;
  m2 = 0;

  add(value: number): void {
    this.n++;
    const delta = value - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (value - this.mean);
  }

  /** The sample variance (divisor n - 1); NaN below two values. */
  variance(): number {
    return this.n > 1 ? this.m2 / (this.n - 1) : NaN;
  }
}

/** The MCSE of a proportion p of n: sqrt(p (1 - p) / n). */
const proportionMcse = (p: number, n: number): number => (n > 0 ? Math.sqrt((p * (1 - p)) / n) : NaN);

/** Accumulates the estimates of one estimator for one parameter in one condition. */
export class PerformanceAccumulator {
  /** The usable estimates t_i. */
  private readonly estimates = new RunningVariance();
  /** The squared model SEs s_i^2. ModSE is sqrt(sum / n_s) from their plain sum: a running mean would change its last bits. */
  private readonly seSquares = new RunningVariance();
  private seSquareSum = 0;
  /** The squared errors e_i^2 (where the truth is known). RMSE is sqrt(sum / n) from their plain sum, as ModSE. */
  private readonly squaredErrors = new RunningVariance();
  private squaredErrorSum = 0;
  private failed = 0;
  private nonConverged = 0;
  private singular = 0;
  /** Intervals where the truth is known, and those holding it. */
  private intervalsWithTruth = 0;
  private covered = 0;
  /** All intervals, those excluding 0, and their widths. */
  private intervals = 0;
  private rejected = 0;
  private readonly widths = new RunningVariance();
  /** The intervals fed again once the mean estimate was known, and those holding it. */
  private centredIntervals = 0;
  private centredCovered = 0;

  constructor(readonly trueValue: number) {}

  /** Adds one replicate's estimate (NaN for none), its SE and interval (NaN where absent), and flags. */
  add(estimate: number, se: number, lower: number, upper: number, converged: boolean, singular: boolean): void {
    if (!converged) this.nonConverged++;
    if (singular) this.singular++;
    if (!Number.isFinite(estimate)) return;
    this.estimates.add(estimate);
    if (Number.isFinite(se)) { this.seSquares.add(se * se); this.seSquareSum += se * se; }
    const hasInterval = Number.isFinite(lower) && Number.isFinite(upper);
    if (hasInterval) {
      this.intervals++;
      if (lower > 0 || upper < 0) this.rejected++;
      this.widths.add(upper - lower);
    }
    const T = this.trueValue;
    if (Number.isFinite(T)) {
      const squaredError = (estimate - T) * (estimate - T);
      this.squaredErrors.add(squaredError);
      this.squaredErrorSum += squaredError;
      if (hasInterval) {
        this.intervalsWithTruth++;
        if (lower <= T && T <= upper) this.covered++;
      }
    }
  }

  /**
   * Adds one replicate's interval again, once every estimate was added: whether it holds the mean estimate
   * (bias-eliminated coverage). The intervals counted are those `add` counts: finite, of a finite estimate.
   */
  addCentred(estimate: number, lower: number, upper: number): void {
    if (!Number.isFinite(estimate) || !Number.isFinite(lower) || !Number.isFinite(upper)) return;
    const m = this.estimates.mean;
    this.centredIntervals++;
    if (lower <= m && m <= upper) this.centredCovered++;
  }

  /** Counts a replicate in which the estimator failed. */
  addFailure(): void {
    this.failed++;
  }

  /** The measures so far. */
  result(): Performance {
    const { trueValue: T } = this;
    const { n } = this.estimates;
    const nSe = this.seSquares.n;
    const empSe = Math.sqrt(this.estimates.variance());
    const bias = n > 0 ? this.estimates.mean - T : NaN;
    const biasMcse = empSe / Math.sqrt(n);
    const modelSe = nSe > 0 ? Math.sqrt(this.seSquareSum / nSe) : NaN;
    const seSquareVariance = this.seSquares.variance();
    const rmse = n > 0 && Number.isFinite(T) ? Math.sqrt(this.squaredErrorSum / n) : NaN;
    const mseMcse = Math.sqrt(this.squaredErrors.variance() / n);
    const coverage = this.intervalsWithTruth > 0 ? this.covered / this.intervalsWithTruth : NaN;
    const power = this.intervals > 0 ? this.rejected / this.intervals : NaN;
    const beCoverage = this.centredIntervals > 0 ? this.centredCovered / this.centredIntervals : NaN;
    return {
      trueValue: T,
      nReps: n,
      nFailed: this.failed,
      nNonConverged: this.nonConverged,
      nSingular: this.singular,
      meanEstimate: n > 0 ? this.estimates.mean : NaN,
      bias,
      biasMcse,
      relBias: T !== 0 ? bias / T : NaN,
      relBiasMcse: T !== 0 ? biasMcse / Math.abs(T) : NaN,
      empSe,
      empSeMcse: n > 1 ? empSe / Math.sqrt(2 * (n - 1)) : NaN,
      modelSe,
      modelSeMcse: Math.sqrt(seSquareVariance / (4 * nSe * modelSe * modelSe)),
      modelSeRelError: modelSe / empSe - 1,
      modelSeRelErrorMcse: (modelSe / empSe) * Math.sqrt(seSquareVariance / (4 * nSe * modelSe ** 4) + 1 / (2 * (n - 1))),
      rmse,
      rmseMcse: mseMcse / (2 * rmse),
      coverage,
      coverageMcse: proportionMcse(coverage, this.intervalsWithTruth),
      beCoverage,
      beCoverageMcse: proportionMcse(beCoverage, this.centredIntervals),
      power,
      powerMcse: proportionMcse(power, this.intervals),
      ciWidth: this.intervals > 0 ? this.widths.mean : NaN,
      ciWidthMcse: Math.sqrt(this.widths.variance() / this.intervals),
    };
  }
}
