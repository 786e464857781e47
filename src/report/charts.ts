/**
 * The report's charts as Vega-Lite specifications over summary.csv's rows: bias with +/- 2 Monte Carlo SE
 * bars, coverage with its Monte Carlo interval against the nominal level, empirical against mean
 * model-based SE, and the counts of failed, non-converged and singular fits.
 */

/** A summary row as the charts read it (summary.csv's columns, plus a condition label). */
export type ChartRow = Record<string, string | number | boolean | null>;

/** A Vega-Lite specification (top level). */
export type ChartSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 220;

function base(title: string, values: readonly ChartRow[]): ChartSpec {
  return { $schema: SCHEMA, title, data: { values }, config: { view: { stroke: '#ddd' }, font: 'sans-serif' } };
}

/**
 * Conditions past which a chart of conditions has one wide panel a row, with upright labels that leave out
 * those that would overlap, and the SE chart no shape per condition (Vega has eight shapes).
 */
const MANY_CONDITIONS = 8;

/** The widest panel of conditions, in pixels: the report's page is 1400 pixels wide. */
const MAX_WIDTH = 1300;

/**
 * The conditions' labels in the order of the rows (summary.csv's, the design's): a chart keeps it, where
 * sorting the labels as text would put n_groups 10 before 5.
 */
const conditionLabels = (rows: readonly ChartRow[]): string[] => [...new Set(rows.map((r) => String(r.condition_label)))];

const manyConditions = (rows: readonly ChartRow[]): boolean => conditionLabels(rows).length > MANY_CONDITIONS;

/** The x axis of conditions: labelled by their levels in the design's order, titled by the factors' names. */
const conditionAxis = (rows: readonly ChartRow[]): Record<string, unknown> => ({
  field: 'condition_label', type: 'nominal', sort: conditionLabels(rows), title: String(rows[0]?.condition_title ?? 'condition'),
  axis: manyConditions(rows) ? { labelAngle: -90, labelOverlap: 'greedy' } : { labelAngle: 0 },
});

/** Panels of conditions: three a row, or, past {@link MANY_CONDITIONS}, one a row, ten pixels a condition. */
const conditionPanels = (rows: readonly ChartRow[]): { columns: number; width: number } => (manyConditions(rows)
  ? { columns: 1, width: Math.min(MAX_WIDTH, Math.max(WIDTH, 10 * conditionLabels(rows).length)) }
  : { columns: 3, width: WIDTH });

/** Bias of each parameter, per condition and estimator, with bars of +/- 2 Monte Carlo SE. */
export function biasChart(rows: readonly ChartRow[]): ChartSpec {
  const panels = conditionPanels(rows);
  const values = rows.filter((r) => Number.isFinite(r.bias as number)).map((r) => ({
    ...r, bias_low: (r.bias as number) - 2 * (r.bias_mcse as number), bias_high: (r.bias as number) + 2 * (r.bias_mcse as number),
  }));
  return {
    ...base('Bias with ±2 Monte Carlo SE', values),
    facet: { field: 'parameter', type: 'nominal', title: null },
    columns: panels.columns,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: panels.width, height: 160,
      layer: [
        { mark: { type: 'rule', color: '#999' }, encoding: { y: { datum: 0 } } },
        { mark: { type: 'rule' }, encoding: { x: conditionAxis(rows), xOffset: { field: 'estimator' }, y: { field: 'bias_low', type: 'quantitative', title: 'bias' }, y2: { field: 'bias_high' }, color: { field: 'estimator', type: 'nominal' } } },
        { mark: { type: 'point', filled: true }, encoding: { x: conditionAxis(rows), xOffset: { field: 'estimator' }, y: { field: 'bias', type: 'quantitative' }, color: { field: 'estimator', type: 'nominal' } } },
      ],
    },
  };
}

/** Coverage of each interval, with its Monte Carlo interval, against the nominal level. */
export function coverageChart(rows: readonly ChartRow[], level: number): ChartSpec {
  const panels = conditionPanels(rows);
  const values = rows.filter((r) => Number.isFinite(r.coverage as number)).map((r) => ({
    ...r,
    interval: r.ci_method ? `${r.estimator} (${r.ci_method})` : String(r.estimator),
    coverage_low: Math.max(0, (r.coverage as number) - 2 * (r.coverage_mcse as number)),
    coverage_high: Math.min(1, (r.coverage as number) + 2 * (r.coverage_mcse as number)),
  }));
  return {
    ...base(`Coverage with ±2 Monte Carlo SE against the nominal ${Math.round(level * 100)} %`, values),
    facet: { field: 'parameter', type: 'nominal', title: null },
    columns: panels.columns,
    spec: {
      width: panels.width, height: 160,
      layer: [
        { mark: { type: 'rule', color: '#c00', strokeDash: [4, 3] }, encoding: { y: { datum: level } } },
        { mark: 'rule', encoding: { x: conditionAxis(rows), xOffset: { field: 'interval' }, y: { field: 'coverage_low', type: 'quantitative', title: 'coverage' }, y2: { field: 'coverage_high' }, color: { field: 'interval', type: 'nominal' } } },
        { mark: { type: 'point', filled: true }, encoding: { x: conditionAxis(rows), xOffset: { field: 'interval' }, y: { field: 'coverage', type: 'quantitative' }, color: { field: 'interval', type: 'nominal' } } },
      ],
    },
  };
}

/** Empirical SE against the mean model-based SE; points on the diagonal are honest standard errors. */
export function seChart(rows: readonly ChartRow[]): ChartSpec {
  const values = rows.filter((r) => Number.isFinite(r.emp_se as number) && Number.isFinite(r.model_se as number));
  const top = Math.max(0, ...values.flatMap((r) => [r.emp_se as number, r.model_se as number]));
  return {
    ...base('Empirical SE against mean model-based SE', values),
    facet: { field: 'parameter', type: 'nominal', title: null },
    columns: 3,
    resolve: { scale: { x: 'independent', y: 'independent' } },
    spec: {
      width: WIDTH, height: WIDTH,
      layer: [
        { data: { values: [{ v: 0 }, { v: top }] }, mark: { type: 'line', color: '#999', strokeDash: [4, 3] }, encoding: { x: { field: 'v', type: 'quantitative' }, y: { field: 'v', type: 'quantitative' } } },
        { mark: { type: 'point', filled: true, size: 60 }, encoding: {
          x: { field: 'emp_se', type: 'quantitative', title: 'empirical SE' }, y: { field: 'model_se', type: 'quantitative', title: 'model SE' },
          color: { field: 'estimator', type: 'nominal' },
          ...(manyConditions(rows) ? {} : { shape: { field: 'condition_label', type: 'nominal', sort: conditionLabels(rows), title: String(rows[0]?.condition_title ?? 'condition') } }),
        } },
      ],
    },
  };
}

/** Failed, non-converged and singular fits per condition, one panel per estimator. */
export function failureChart(rows: readonly ChartRow[]): ChartSpec {
  const panels = conditionPanels(rows);
  const seen = new Set<string>();
  const values: ChartRow[] = [];
  let most = 0;
  for (const r of rows) {
    const key = `${r.condition_label}|${r.estimator}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let fits = 0;
    for (const [kind, field] of [['failed', 'n_failed'], ['non-converged', 'n_nonconverged'], ['singular', 'n_singular']] as const) {
      const count = Number(r[field]) || 0;
      values.push({ condition_label: r.condition_label, estimator: r.estimator, kind, count });
      fits += count;
    }
    most = Math.max(most, fits);
  }
  return {
    ...base('Failed, non-converged and singular fits', values),
    facet: { field: 'estimator', type: 'nominal', title: null },
    columns: panels.columns,
    spec: {
      width: panels.width, height: 160,
      mark: 'bar',
      encoding: {
        x: conditionAxis(rows),
        // Counts: whole-number ticks, and an axis from 0 to at least 1 when no fit failed.
        y: { field: 'count', type: 'quantitative', stack: 'zero', title: 'fits', scale: { domainMin: 0, domainMax: Math.max(1, most), nice: true }, axis: { format: 'd', tickMinStep: 1 } },
        color: { field: 'kind', type: 'nominal', scale: { domain: ['failed', 'non-converged', 'singular'], range: ['#c00', '#e90', '#77a'] } },
        tooltip: [{ field: 'estimator' }, { field: 'condition_label', title: 'condition' }, { field: 'kind' }, { field: 'count' }],
      },
    },
  };
}
