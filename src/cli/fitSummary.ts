/**
 * The printed summary of a fit, laid out as `summary(lmer(...))` in R, and the JSON object of `fit --json`.
 */
import type { LmmFit } from '../lmm/fit.ts';
import { fixefInference, type FixefInference, type IntervalMethod } from '../lmm/intervals.ts';

/** Confidence intervals of the fixed effects asked for with --ci. */
export interface Intervals { readonly method: IntervalMethod; readonly level: number; readonly rows: readonly FixefInference[] }

/** Formats numbers with a common number of decimals so that the largest has `digits` significant ones. */
function column(values: readonly number[], digits: number): string[] {
  const finite = values.filter(Number.isFinite).map(Math.abs);
  const largest = finite.length ? Math.max(...finite) : 0;
  const magnitude = largest > 0 ? Math.floor(Math.log10(largest)) + 1 : 1;
  const decimals = Math.min(10, Math.max(0, digits - magnitude));
  return values.map((v) => (Number.isFinite(v) ? v.toFixed(decimals) : 'NaN'));
}

function table(header: readonly string[], rows: readonly (readonly string[])[], leftAligned: number): string[] {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, j) => (j < leftAligned ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join(' ').trimEnd();
  return [line(header), ...rows.map(line)];
}

/** Type-7 quantile of sorted values (R's default). */
function quantile(sorted: Float64Array, prob: number): number {
  const h = (sorted.length - 1) * prob;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

/** The number of estimated parameters: fixed effects, theta, sigma. */
const parameterCount = (fit: LmmFit): number => fit.fixefNames.length + fit.theta.length + 1;

/** A summary laid out as lme4's `summary()` of the fit. */
export function formatFit(fit: LmmFit, source: string, intervals?: Intervals): string {
  const out: string[] = [];
  out.push(`Linear mixed model fit by ${fit.method === 'REML' ? 'REML' : 'maximum likelihood'}`);
  out.push(`Formula: ${fit.formula}`, `   Data: ${source}`, '');
  if (fit.method === 'REML') out.push(`REML criterion at convergence: ${fit.objective.toFixed(1)}`);
  else {
    const k = parameterCount(fit);
    const aic = fit.objective + 2 * k;
    const bic = fit.objective + Math.log(fit.n) * k;
    out.push(...table(['AIC', 'BIC', 'logLik', 'deviance', 'df.resid'],
      [[aic.toFixed(1), bic.toFixed(1), fit.logLik.toFixed(1), fit.objective.toFixed(1), String(fit.n - k)]], 0));
  }
  const scaled = fit.residuals().map((r) => r / fit.sigma).sort();
  out.push('', 'Scaled residuals:',
    ...table(['Min', '1Q', 'Median', '3Q', 'Max'], [[0, 0.25, 0.5, 0.75, 1].map((p) => quantile(scaled, p).toFixed(4))], 0));

  out.push('', 'Random effects:');
  const vc = fit.varCorr;
  const variances = column(vc.map((v) => v.variance), 5);
  const sds = column(vc.map((v) => v.sd), 5);
  const hasCorr = Object.keys(fit.corr).length > 0;
  const rows = vc.map((v, i) => {
    const firstOfGroup = i === 0 || vc[i - 1].group !== v.group;
    const row = [firstOfGroup ? v.group : '', v.name, variances[i], sds[i]];
    if (hasCorr) row.push(correlationsOf(fit, v.group, v.name));
    return row;
  });
  const header = ['Groups', 'Name', 'Variance', 'Std.Dev.', ...(hasCorr ? ['Corr'] : [])];
  out.push(...table(header, rows, 2).map((l) => ` ${l}`));
  const [groupName, levels] = Object.entries(fit.groups)[0];
  out.push(`Number of obs: ${fit.n}, groups:  ${groupName}, ${levels}`);
  if (fit.dropped > 0) out.push(`(${fit.dropped} row${fit.dropped === 1 ? '' : 's'} dropped for missing values)`);

  out.push('', 'Fixed effects:');
  const names = fit.fixefNames;
  const inference = fixefInference(fit, 'satterthwaite');
  const est = column(names.map((n) => fit.fixef[n]), 6);
  const se = column(names.map((n) => fit.se[n]), 4);
  const df = inference.map((r) => r.df.toFixed(3));
  const t = inference.map((r) => r.t.toFixed(3));
  const fixedRows = names.map((n, i) => [n, est[i], se[i], df[i], t[i], formatP(inference[i].p), stars(inference[i].p)]);
  out.push(...table(["", "Estimate", "Std. Error", "df", "t value", "Pr(>|t|)", ""], fixedRows, 1));
  out.push('---', "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1");
  out.push('(df and p values: Satterthwaite, as lmerTest)');

  const p = names.length;
  if (p > 1) {
    out.push('', 'Correlation of Fixed Effects:');
    const abbreviated = names.map((n) => n.replace(/[aeiou()]/g, '').slice(0, 6) || n.slice(0, 6));
    const corrRows = names.slice(1).map((n, i) => {
      const r = i + 1;
      const cells = names.slice(0, r).map((_, c) => (fit.vcov[r * p + c] / Math.sqrt(fit.vcov[r * p + r] * fit.vcov[c * p + c])).toFixed(3));
      return [n, ...cells, ...new Array(p - 1 - r).fill('')];
    });
    out.push(...table(['', ...abbreviated.slice(0, p - 1)], corrRows, 1));
  }
  if (intervals) {
    const percent = (x: number): string => `${(100 * x).toFixed(1).replace(/\.0$/, '')} %`;
    const half = (1 - intervals.level) / 2;
    out.push('', `Confidence intervals (${intervals.method}, ${percent(intervals.level)}):`);
    const lower = column(intervals.rows.map((r) => r.lower), 6);
    const upper = column(intervals.rows.map((r) => r.upper), 6);
    out.push(...table(['', percent(half), percent(1 - half)], intervals.rows.map((r, i) => [r.name, lower[i], upper[i]]), 1));
  }
  if (fit.singular) out.push('', "boundary (singular) fit: a random-effect variance is (nearly) zero (lme4's isSingular)");
  if (!fit.converged) out.push('', `warning: the optimizer did not converge (${fit.message})`);
  return out.join('\n') + '\n';
}

function correlationsOf(fit: LmmFit, group: string, name: string): string {
  const base = group.replace(/\.\d+$/, '');
  const prefixes = [`${group}:`, `${base}:`];
  const cells: string[] = [];
  for (const [key, value] of Object.entries(fit.corr)) {
    const prefix = prefixes.find((pre) => key.startsWith(pre));
    if (prefix && key.endsWith(`:${name}`) && key.slice(prefix.length).split(':').length === 2) cells.push(value.toFixed(2));
  }
  return cells.join(' ');
}

/** A p value as R's format.pval prints it in a coefficient table. */
function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'NA';
  if (p < 2.2e-16) return '<2e-16';
  return p < 1e-4 ? p.toExponential(2).replace(/e([+-])(\d)$/, 'e$10$2') : p.toPrecision(3);
}

/** R's significance stars. */
function stars(p: number): string {
  return p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : p < 0.1 ? '.' : '';
}

/** The JSON object of `fit --json`, keyed as lme4 names things. */
export function fitJson(fit: LmmFit, intervals?: Intervals): Record<string, unknown> {
  const ci = intervals && {
    method: intervals.method,
    level: intervals.level,
    lower: Object.fromEntries(intervals.rows.map((r) => [r.name, r.lower])),
    upper: Object.fromEntries(intervals.rows.map((r) => [r.name, r.upper])),
  };
  return {
    ...(ci ? { ci } : {}),
    formula: fit.formula,
    method: fit.method,
    n: fit.n,
    dropped: fit.dropped,
    groups: fit.groups,
    fixef: fit.fixef,
    se: fit.se,
    df: fit.satterthwaite(),
    p: Object.fromEntries(fixefInference(fit, 'satterthwaite').map((r) => [r.name, r.p])),
    sigma: fit.sigma,
    theta: fit.theta,
    sd: fit.sd,
    corr: fit.corr,
    objective: fit.objective,
    logLik: fit.logLik,
    AIC: fit.objective + 2 * parameterCount(fit),
    BIC: fit.objective + Math.log(fit.n) * parameterCount(fit),
    singular: fit.singular,
    converged: fit.converged,
    feval: fit.feval,
    message: fit.message,
  };
}
