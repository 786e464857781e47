/** The summary table `npm run study` prints at the end. */
import { conditions } from '../study/design.ts';
import { trueValues, type Study } from '../study/define.ts';
import type { Failure, SummaryRow } from '../summary/tables.ts';
import { fixedWidthTable } from './table.ts';

const fmt = (v: number, digits = 4): string => (Number.isFinite(v) ? v.toFixed(digits) : 'NA');

/** Rows of the summary a run prints, at most: the seed study's 56 fit; a grid of a hundred conditions has summary.csv. */
export const PRINTED_ROWS = 100;

/**
 * A fixed-width table: design factors, estimator, parameter, truth, bias (MCSE), SEs, coverage, counts. Its
 * first `limit` rows, then a line saying how many more summary.csv has.
 */
export function formatSummary(study: Study, rows: readonly SummaryRow[], { limit = PRINTED_ROWS }: { limit?: number } = {}): string {
  const grid = conditions(study.design);
  const factors = Object.keys(study.design);
  const header = [...factors, 'estimator', 'parameter', 'ci', 'true', 'bias', '(mcse)', 'emp_se', 'model_se', 'coverage', 'n', 'failed', 'singular'];
  const more = rows.length - limit;
  const body = rows.slice(0, limit).map((r) => {
    const p = r.performance;
    const values = grid[r.condition].values as Record<string, unknown>;
    return [...factors.map((f) => String(values[f])), r.estimator, r.parameter, r.ciMethod, fmt(p.trueValue, 3), fmt(p.bias), `(${fmt(p.biasMcse)})`,
      fmt(p.empSe), fmt(p.modelSe), fmt(p.coverage, 3), String(p.nReps), String(p.nFailed), String(p.nSingular)];
  });
  const table = fixedWidthTable(header, body, (j) => j < factors.length + 3);
  return more > 0 ? `${table}\n... and ${more} more rows (${rows.length} in all) in summary.csv` : table;
}

/** A condition's values as `factor=value` pairs: `n_groups=5 slope_sd=0.25`. */
export function conditionText(study: Study, condition: number): string {
  const values = conditions(study.design)[condition].values as Record<string, unknown>;
  return Object.keys(study.design).map((f) => `${f}=${String(values[f])}`).join(' ');
}

/**
 * One line per condition and estimator that failed in some replicate: how many failed and the first one's
 * error (their errors are in replicates.csv's `error` column). At most `limit` lines, then how many more.
 * Empty when nothing failed.
 */
export function formatFailures(study: Study, rows: readonly SummaryRow[], limit = 10): string {
  const failed = new Map<string, { condition: number; estimator: string; count: number; first: Failure }>();
  for (const r of rows) {
    if (r.firstFailure && r.performance.nFailed > 0) {
      failed.set(`${r.condition}\u0000${r.estimator}`, { condition: r.condition, estimator: r.estimator, count: r.performance.nFailed, first: r.firstFailure });
    }
  }
  if (failed.size === 0) return '';
  const lines = [...failed.values()].map(({ condition, estimator, count, first }) =>
    `  ${estimator}, ${conditionText(study, condition)}: ${count} replicate${count === 1 ? '' : 's'} failed; the first, replicate ${first.replicate}: ${first.error}`);
  return [
    'failures (the error column of replicates.csv has each one):',
    ...lines.slice(0, limit),
    ...(lines.length > limit ? [`  and ${lines.length - limit} more conditions and estimators`] : []),
  ].join('\n');
}

/** A parameter name as a person might mistype it: without case, spaces or parentheses (`x` for `X`, `intercept`). */
const looseName = (name: string): string => name.toLowerCase().replace(/[\s()]/g, '');

/**
 * The true values the study gives for parameters that no estimator reported, so that they count for
 * nothing (a misspelt `x` for `X` leaves X without bias, RMSE or coverage): one line naming them, each with
 * the reported name it is likely meant for, or empty. Checked only when every estimator of the study ran
 * and reported in some replicate: a truth may well name the parameters of an estimator left out.
 */
export function formatUnmatchedTruth(study: Study, rows: readonly SummaryRow[]): string {
  const reportedRows = rows.filter((r) => r.parameter !== ''); // an estimator that failed everywhere has a row without one
  const reported = new Set(reportedRows.map((r) => r.parameter));
  const reporting = new Set(reportedRows.map((r) => r.estimator));
  if (Object.keys(study.estimators).some((e) => !reporting.has(e))) return '';
  const grid = conditions(study.design);
  const unmatched = new Set<string>();
  for (const condition of new Set(rows.map((r) => r.condition))) {
    for (const [parameter, value] of Object.entries(trueValues(study, grid[condition].values))) {
      if (!Number.isNaN(value) && !reported.has(parameter)) unmatched.add(parameter);
    }
  }
  if (unmatched.size === 0) return '';
  const named = [...unmatched].map((name) => {
    const meant = [...reported].find((r) => looseName(r) === looseName(name));
    return `'${name}'${meant === undefined ? '' : ` (did you mean '${meant}'?)`}`;
  });
  return `truth gives values for parameters no estimator reported, so they have no bias, RMSE or coverage: ${named.join(', ')}`;
}
