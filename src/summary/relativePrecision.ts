/**
 * The relative precision of an estimator against a reference estimator of the same parameter, with its
 * Monte Carlo SE, as Morris, White & Crowther (2019), Stat Med 38:2074, Table 6, gives it and rsimsum
 * computes it (Gasparini 2018, `R/performance.R`, `relprec`):
 *   relative precision = (EmpSE_ref / EmpSE)^2 - 1,
 *   MCSE = 2 (EmpSE_ref / EmpSE)^2 sqrt((1 - rho^2) / (n - 1)),
 * with EmpSE_ref and EmpSE each estimator's empirical SE over its own usable estimates, n the estimator's
 * number of usable estimates, and rho the correlation of the two estimators' estimates over the replicates
 * where both have one (the pairs come from the same datasets). It is the relative gain in precision (1 /
 * variance) over the reference: 0.25 means an estimator 25 % more precise than the reference, -0.2 one 20 %
 * less precise. A ratio here, not Table 6's percentage, as the relative error of the model SE. The
 * reference against itself gives 0 with an MCSE of 0.
 */

/** Running means and sums of squared and cross deviations of pairs (x, y) (Welford's update), in one pass. */
export class PairedEstimates {
  n = 0;
  private meanX = 0;
  private meanY = 0;
  private sxx = 0;
  private syy = 0;
  private sxy = 0;

  /** Adds one pair: the reference's estimate x and the estimator's y, from one replicate. */
  add(x: number, y: number): void {
    this.n++;
    const dx = x - this.meanX;
    const dy = y - this.meanY;
    this.meanX += dx / this.n;
    this.meanY += dy / this.n;
    this.sxx += dx * (x - this.meanX);
    this.syy += dy * (y - this.meanY);
    this.sxy += dx * (y - this.meanY);
  }

  /** Pearson's correlation of the pairs; NaN below two pairs or where either side does not vary. */
  correlation(): number {
    return this.n > 1 ? this.sxy / Math.sqrt(this.sxx * this.syy) : NaN;
  }
}

/** Relative precision and its Monte Carlo SE. */
export interface RelativePrecision {
  readonly relPrecision: number;
  readonly relPrecisionMcse: number;
}

/** What {@link relativePrecision} is computed from. */
export interface RelativePrecisionInput {
  /** The reference estimator's empirical SE. */
  readonly referenceEmpSe: number;
  /** The estimator's empirical SE. */
  readonly empSe: number;
  /** The estimator's number of usable estimates. */
  readonly n: number;
  /** The correlation of the two estimators' paired estimates. */
  readonly correlation: number;
}

/** The relative precision of an estimator against the reference, with its Monte Carlo SE (see above). */
export function relativePrecision({ referenceEmpSe, empSe, n, correlation }: RelativePrecisionInput): RelativePrecision {
  const varianceRatio = (referenceEmpSe / empSe) ** 2;
  // |rho| <= 1 but for rounding.
  const uncorrelated = Math.max(0, 1 - correlation * correlation);
  return {
    relPrecision: varianceRatio - 1,
    relPrecisionMcse: n > 1 ? 2 * varianceRatio * Math.sqrt(uncorrelated / (n - 1)) : NaN,
  };
}
