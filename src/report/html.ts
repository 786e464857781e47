/**
 * report.html: one self-contained file (no network, no CDN) with the study's design, seed, replications,
 * run time and versions, the summary table, and the charts of charts.ts rendered to SVG at build time by
 * Vega-Lite and Vega. Built from summary.csv (and run.json, the run's metadata) alone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../data/csv.ts';
import { UserError } from '../errors.ts';
import { biasChart, coverageChart, failureChart, seChart, type ChartRow, type ChartSpec } from './charts.ts';

/** What run.json records of a run, beside the CSV files. */
export interface RunInfo {
  readonly study: string;
  readonly description?: string;
  readonly design: Readonly<Record<string, readonly (string | number | boolean)[]>>;
  readonly seed: number;
  readonly replications: number;
  readonly estimators: readonly string[];
  /** The estimator relative precision is measured against (absent in the run.json of earlier versions). */
  readonly reference?: string;
  readonly level: number;
  /** Seconds the run took (the last run or merge that wrote the tables). */
  readonly seconds: number;
  readonly created: string;
  readonly versions: Readonly<Record<string, string>>;
  /** Shards merged, or null for a one-machine run. */
  readonly shards: number | null;
}

let vegaModules: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

/** Vega and Vega-Lite, loaded once. */
export function loadVega(): Promise<[typeof import('vega'), typeof import('vega-lite')]> {
  vegaModules ??= Promise.all([import('vega'), import('vega-lite')]);
  return vegaModules;
}

/** Renders a Vega-Lite specification to SVG (Vega and Vega-Lite are loaded on first use). */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const [vega, vegaLite] = await loadVega();
  const view = new vega.View(vega.parse(vegaLite.compile(spec as never).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const escape = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const fmt = (v: unknown, digits = 4): string => (typeof v === 'number' ? (Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : 'NA') : escape(String(v ?? '')));

/**
 * The columns of summary.csv that the report reads (its table and charts). Every version's summary.csv has
 * them, so a report can be rebuilt from the tables of a run made before the later columns were added.
 */
const REPORT_COLUMNS = ['estimator', 'parameter', 'ci_method', 'true_value', 'n_reps', 'n_failed', 'bias', 'bias_mcse', 'rel_bias', 'emp_se', 'model_se', 'rmse', 'coverage', 'coverage_mcse', 'n_nonconverged', 'n_singular'];

/** summary.csv's rows, checked for the columns the report reads, with a condition label. */
export function readSummary(dir: string): { rows: ChartRow[]; factors: string[] } {
  const path = join(dir, 'summary.csv');
  if (!existsSync(path)) throw new UserError(`${dir}: no results here (no summary.csv): run the study first`);
  const table = parseCsv(readFileSync(path, 'utf8'), path);
  const names = Object.keys(table.data);
  for (const column of REPORT_COLUMNS) if (!names.includes(column)) throw new UserError(`${path}: column '${column}' is missing`);
  for (const column of ['bias', 'bias_mcse', 'emp_se', 'coverage', 'n_reps']) {
    const bad = table.mixed.get(column);
    if (bad) throw new UserError(`${path}: column '${column}', line ${bad.line}: '${bad.value}' is not a number`);
  }
  const factors = names.slice(0, names.indexOf('estimator'));
  const n = table.data.estimator.length;
  const rows: ChartRow[] = [];
  for (let i = 0; i < n; i++) {
    const row: ChartRow = {};
    for (const name of names) {
      const v = table.data[name][i];
      row[name] = typeof v === 'number' ? v : v ?? '';
    }
    row.condition_label = factors.map((f) => String(row[f])).join(' / ');
    row.condition_title = factors.join(' / ');
    rows.push(row);
  }
  return { rows, factors };
}

/** Reads run.json, or derives what it can when it is absent. */
function readRunInfo(dir: string, rows: readonly ChartRow[], factors: readonly string[]): RunInfo {
  const path = join(dir, 'run.json');
  if (existsSync(path)) {
    try { return JSON.parse(readFileSync(path, 'utf8')) as RunInfo; } catch { throw new UserError(`${path}: not valid JSON`); }
  }
  const design: Record<string, (string | number | boolean)[]> = {};
  for (const f of factors) design[f] = [...new Set(rows.map((r) => r[f] as string | number))];
  return {
    study: dir.split('/').filter(Boolean).at(-1) ?? 'study', design, seed: NaN, level: 0.95,
    replications: Math.max(0, ...rows.map((r) => Number(r.n_reps) + Number(r.n_failed))),
    estimators: [...new Set(rows.map((r) => String(r.estimator)))], seconds: NaN, created: '', versions: {}, shards: null,
  };
}

/**
 * The estimator relative precision is measured against, when the table shows it: summary.csv has the column
 * (a run made before it was added has not) and the run compared two estimators or more.
 */
function precisionReference(rows: readonly ChartRow[], info: RunInfo): string | undefined {
  if (rows.length === 0 || !('rel_precision' in rows[0]) || new Set(rows.map((r) => r.estimator)).size < 2) return undefined;
  return info.reference ?? info.estimators[0];
}

/** `value (mcse)`, or NA when the value is not a finite number. */
const withMcse = (value: unknown, mcse: unknown, digits = 4): string => (Number.isFinite(value as number) ? `${fmt(value, digits)} (${fmt(mcse, digits)})` : 'NA');

function summaryTable(rows: readonly ChartRow[], factors: readonly string[], reference: string | undefined): string {
  const precision = reference === undefined ? [] : [`precision vs ${reference} (MCSE)`];
  const header = [...factors, 'estimator', 'parameter', 'interval', 'true', 'bias (MCSE)', 'rel. bias', 'emp. SE', ...precision, 'model SE', 'RMSE', 'coverage (MCSE)', 'n', 'failed', 'non-conv.', 'singular'];
  const body = rows.map((r) => [
    ...factors.map((f) => escape(String(r[f]))), fmt(r.estimator), fmt(r.parameter), fmt(r.ci_method), fmt(r.true_value, 3),
    `${fmt(r.bias)} (${fmt(r.bias_mcse)})`, fmt(r.rel_bias, 3), fmt(r.emp_se),
    ...(reference === undefined ? [] : [withMcse(r.rel_precision, r.rel_precision_mcse, 3)]),
    fmt(r.model_se), fmt(r.rmse),
    withMcse(r.coverage, r.coverage_mcse, 3),
    fmt(r.n_reps), fmt(r.n_failed), fmt(r.n_nonconverged), fmt(r.n_singular),
  ]);
  return `<table><thead><tr>${header.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>${body.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1400px}h1{margin-bottom:0}
.meta{color:#555}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}
table{border-collapse:collapse;font-size:.85rem}th,td{border-bottom:1px solid #ddd;padding:.2rem .5rem;text-align:right}
th{background:#f4f4f4;position:sticky;top:0}td:nth-child(-n+3){text-align:left}figure{margin:1.5rem 0}
.chart svg{max-width:100%;height:auto}`;

/** Options of {@link writeReport}. */
export interface ReportOptions {
  /** Renders a chart to SVG. Default {@link renderSvg}, in this thread (a run uses its charts threads). */
  readonly render?: (spec: ChartSpec) => Promise<string>;
}

/** Builds report.html in `out` (default `dir`) from `dir`'s summary.csv and run.json; returns the file's path. */
export async function writeReport(dir: string, out = dir, options: ReportOptions = {}): Promise<string> {
  const { rows, factors } = readSummary(dir);
  const info = readRunInfo(dir, rows, factors);
  const reference = precisionReference(rows, info);
  const charts: [string, ChartSpec][] = [
    ['bias', biasChart(rows)],
    ['coverage', coverageChart(rows, info.level ?? 0.95)],
    ['se', seChart(rows)],
    ['failures', failureChart(rows)],
  ];
  const svgs = await Promise.all(charts.map(([, spec]) => (options.render ?? renderSvg)(spec)));
  const design = Object.entries(info.design).map(([f, levels]) => `${escape(f)}: ${levels.map((l) => escape(String(l))).join(', ')}`).join('; ');
  const versions = Object.entries(info.versions ?? {}).map(([k, v]) => `${escape(k)} ${escape(v)}`).join(', ');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(info.study)}: mixsim report</title><style>${STYLE}</style></head>
<body>
<h1>${escape(info.study)}</h1>
${info.description ? `<p class="meta">${escape(info.description)}</p>` : ''}
<dl>
<dt>design</dt><dd>${design}</dd>
<dt>seed</dt><dd>${fmt(info.seed)}</dd>
<dt>replications</dt><dd>${fmt(info.replications)} per condition${info.shards ? `, in ${info.shards} shards` : ''}</dd>
<dt>estimators</dt><dd>${info.estimators.map(escape).join(', ')}</dd>
<dt>run time</dt><dd>${Number.isFinite(info.seconds) ? `${info.seconds.toFixed(1)} s` : 'NA'}${info.created ? ` (${escape(info.created)})` : ''}</dd>
<dt>versions</dt><dd>${versions || 'NA'}</dd>
</dl>
${charts.map(([id], k) => `<figure class="chart" id="${id}">${svgs[k]}</figure>`).join('\n')}
<h2>Summary</h2>
<p class="meta">Monte Carlo standard errors follow Morris, White &amp; Crowther (2019), Stat Med 38:2074.${reference === undefined ? '' : ` Precision vs ${escape(reference)}: (its empirical SE / the estimator's)² − 1, so 0.25 is 25 % more precise than ${escape(reference)}.`}</p>
${summaryTable(rows, factors, reference)}
</body></html>
`;
  const path = join(out, 'report.html');
  writeFileSync(path, html);
  return path;
}
