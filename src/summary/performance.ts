/**
 * Performance measures of an estimator over replicates, with Monte Carlo standard errors, as in Morris,
 * White & Crowther (2019), "Using simulation studies to evaluate statistical methods", Stat Med 38:2074,
 * Table 6. Accumulated in one pass (Welford's update for the mean and spread), so memory does not grow
 * with the number of replicates; rows are fed in a fixed order so the sums, and the table, are the same
 * to the last digit for any number of workers.
 *
 * With n usable estimates t_i of truth T, mean m, and model SEs s_i:
 *   bias = m - T,                      MCSE = EmpSE / sqrt(n)
 *   EmpSE = sqrt(sum (t_i - m)^2 / (n - 1)),   MCSE = EmpSE / sqrt(2 (n - 1))
 *   ModSE = sqrt(mean s_i^2),          relative error of ModSE = ModSE / EmpSE - 1
 *   RMSE = sqrt(mean (t_i - T)^2)
 *   coverage = share of intervals holding T,    MCSE = sqrt(coverage (1 - coverage) / n)
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
  readonly empSe: number;
  readonly empSeMcse: number;
  readonly modelSe: number;
  readonly modelSeRelError: number;
  readonly rmse: number;
  readonly coverage: number;
  readonly coverageMcse: number;
}

/** Accumulates the estimates of one estimator for one parameter in one condition. */
export class PerformanceAccumulator {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private failed = 0;
  private nonConverged = 0;
  private singular = 0;
  private seCount = 0;
  private seSquares = 0;
  private squaredErrors = 0;
  private intervals = 0;
  private covered = 0;

  constructor(readonly trueValue: number) {}

  /** Adds one replicate's estimate (NaN for none), its SE and interval (NaN where absent), and flags. */
  add(estimate: number, se: number, lower: number, upper: number, converged: boolean, singular: boolean): void {
    if (!converged) this.nonConverged++;
    if (singular) this.singular++;
    if (!Number.isFinite(estimate)) return;
    this.n++;
    const delta = estimate - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (estimate - this.mean);
    if (Number.isFinite(se)) { this.seCount++; this.seSquares += se * se; }
    const T = this.trueValue;
    if (Number.isFinite(T)) {
      this.squaredErrors += (estimate - T) * (estimate - T);
      if (Number.isFinite(lower) && Number.isFinite(upper)) {
        this.intervals++;
        if (lower <= T && T <= upper) this.covered++;
      }
    }
  }

  /** Counts a replicate in which the estimator failed. */
  addFailure(): void {
    this.failed++;
  }

  /** The measures so far. */
  result(): Performance {
    const { n, trueValue: T } = this;
    const empSe = n > 1 ? Math.sqrt(this.m2 / (n - 1)) : NaN;
    const bias = n > 0 ? this.mean - T : NaN;
    const modelSe = this.seCount > 0 ? Math.sqrt(this.seSquares / this.seCount) : NaN;
    const coverage = this.intervals > 0 ? this.covered / this.intervals : NaN;
    return {
      trueValue: T,
      nReps: n,
      nFailed: this.failed,
      nNonConverged: this.nonConverged,
      nSingular: this.singular,
      meanEstimate: n > 0 ? this.mean : NaN,
      bias,
      biasMcse: empSe / Math.sqrt(n),
      relBias: T !== 0 ? bias / T : NaN,
      empSe,
      empSeMcse: n > 1 ? empSe / Math.sqrt(2 * (n - 1)) : NaN,
      modelSe,
      modelSeRelError: modelSe / empSe - 1,
      rmse: n > 0 && Number.isFinite(T) ? Math.sqrt(this.squaredErrors / n) : NaN,
      coverage,
      coverageMcse: this.intervals > 0 ? Math.sqrt((coverage * (1 - coverage)) / this.intervals) : NaN,
    };
  }
}
