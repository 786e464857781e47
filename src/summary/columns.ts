/**
 * The result tables' own column names, after the design factors' (a contract: README's "The CSV files").
 * A design factor cannot take one of these names.
 */

/** Column names of replicates.csv after the design factors. */
export const REPLICATE_COLUMNS = ['condition', 'replicate', 'estimator', 'parameter', 'estimate', 'se', 'ci_lower', 'ci_upper', 'ci_method', 'converged', 'singular', 'error', 'seed'] as const;

/** Column names of summary.csv after the design factors. */
export const SUMMARY_COLUMNS = ['estimator', 'parameter', 'ci_method', 'true_value', 'n_reps', 'n_failed', 'mean_estimate', 'bias', 'bias_mcse', 'rel_bias', 'rel_bias_mcse', 'emp_se', 'emp_se_mcse', 'rel_precision', 'rel_precision_mcse', 'model_se', 'model_se_mcse', 'model_se_rel_error', 'model_se_rel_error_mcse', 'rmse', 'rmse_mcse', 'coverage', 'coverage_mcse', 'be_coverage', 'be_coverage_mcse', 'power', 'power_mcse', 'ci_width', 'ci_width_mcse', 'n_nonconverged', 'n_singular'] as const;
