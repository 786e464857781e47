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

/** The widest panel of many conditions, in pixels: the report's page is 1400 pixels wide. */
const MAX_WIDTH = 1300;

/** The widest panel of few conditions: three a row on the report's page. */
const MAX_FEW_WIDTH = 420;

/**
 * About how wide a condition's label is drawn, in pixels (10-pixel sans-serif): 6 a character, 2.8 for a
 * space, '.', '/', ':' or ','. Vega measures text in Node by a rougher rule (8 pixels a character), so it
 * cannot tell whether horizontal labels would overlap in a browser.
 */
const labelPixels = (label: string): number => [...label].reduce((width, c) => width + (' ./:,'.includes(c) ? 2.8 : 6), 0);

/**
 * How a chart draws the conditions: their labels in the order of the rows (summary.csv's, the design's),
 * which the axis keeps where sorting them as text would put n_groups 10 before 5; the x axis; and the
 * panels. Few conditions: three panels a row, each wide enough for its labels side by side (up to
 * {@link MAX_FEW_WIDTH}, past which they stand upright). Past {@link MANY_CONDITIONS}: one panel a row, ten
 * pixels a condition, upright labels, and Vega leaves out those that would come within 3 pixels of the
 * last it drew (a label drawn in a browser is a little wider than Vega's estimate of it).
 */
interface ConditionLayout {
  readonly labels: readonly string[];
  readonly many: boolean;
  readonly axis: Record<string, unknown>;
  readonly columns: number;
  readonly width: number;
}

function conditionLayout(rows: readonly ChartRow[]): ConditionLayout {
  const labels = [...new Set(rows.map((r) => String(r.condition_label)))];
  const many = labels.length > MANY_CONDITIONS;
  const sideBySide = Math.ceil(labels.length * (Math.max(0, ...labels.map(labelPixels)) + 8));
  const width = many ? Math.min(MAX_WIDTH, Math.max(WIDTH, 10 * labels.length)) : Math.min(MAX_FEW_WIDTH, Math.max(WIDTH, sideBySide));
  const upright = many || sideBySide > width;
  return {
    labels,
    many,
    axis: {
      field: 'condition_label', type: 'nominal', sort: labels, title: String(rows[0]?.condition_title ?? 'condition'),
      axis: upright ? { labelAngle: -90, labelOverlap: 'greedy', labelSeparation: 3 } : { labelAngle: 0 },
    },
    columns: many ? 1 : 3,
    width,
  };
}

/** Bias of each parameter, per condition and estimator, with bars of +/- 2 Monte Carlo SE. */
export function biasChart(rows: readonly ChartRow[]): ChartSpec {
  const conditions = conditionLayout(rows);
  const values = rows.filter((r) => Number.isFinite(r.bias as number)).map((r) => ({
    ...r, bias_low: (r.bias as number) - 2 * (r.bias_mcse as number), bias_high: (r.bias as number) + 2 * (r.bias_mcse as number),
  }));
  return {
    ...base('Bias with ±2 Monte Carlo SE', values),
    facet: { field: 'parameter', type: 'nominal', title: null },
    columns: conditions.columns,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: conditions.width, height: 160,
      layer: [
        { mark: { type: 'rule', color: '#999' }, encoding: { y: { datum: 0 } } },
        { mark: { type: 'rule' }, encoding: { x: conditions.axis, xOffset: { field: 'estimator' }, y: { field: 'bias_low', type: 'quantitative', title: 'bias' }, y2: { field: 'bias_high' }, color: { field: 'estimator', type: 'nominal' } } },
        { mark: { type: 'point', filled: true }, encoding: { x: conditions.axis, xOffset: { field: 'estimator' }, y: { field: 'bias', type: 'quantitative' }, color: { field: 'estimator', type: 'nominal' } } },
      ],
    },
  };
}

/** Coverage of each interval, with its Monte Carlo interval, against the nominal level. */
export function coverageChart(rows: readonly ChartRow[], level: number): ChartSpec {
  const conditions = conditionLayout(rows);
  const values = rows.filter((r) => Number.isFinite(r.coverage as number)).map((r) => ({
    ...r,
    interval: r.ci_method ? `${r.estimator} (${r.ci_method})` : String(r.estimator),
    coverage_low: Math.max(0, (r.coverage as number) - 2 * (r.coverage_mcse as number)),
    coverage_high: Math.min(1, (r.coverage as number) + 2 * (r.coverage_mcse as number)),
  }));
  return {
    ...base(`Coverage with ±2 Monte Carlo SE against the nominal ${Math.round(level * 100)} %`, values),
    facet: { field: 'parameter', type: 'nominal', title: null },
    columns: conditions.columns,
    spec: {
      width: conditions.width, height: 160,
      layer: [
        { mark: { type: 'rule', color: '#c00', strokeDash: [4, 3] }, encoding: { y: { datum: level } } },
        { mark: 'rule', encoding: { x: conditions.axis, xOffset: { field: 'interval' }, y: { field: 'coverage_low', type: 'quantitative', title: 'coverage' }, y2: { field: 'coverage_high' }, color: { field: 'interval', type: 'nominal' } } },
        { mark: { type: 'point', filled: true }, encoding: { x: conditions.axis, xOffset: { field: 'interval' }, y: { field: 'coverage', type: 'quantitative' }, color: { field: 'interval', type: 'nominal' } } },
      ],
    },
  };
}

/** Empirical SE against the mean model-based SE; points on the diagonal are honest standard errors. */
export function seChart(rows: readonly ChartRow[]): ChartSpec {
  const conditions = conditionLayout(rows);
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
          ...(conditions.many ? {} : { shape: { field: 'condition_label', type: 'nominal', sort: conditions.labels, title: String(rows[0]?.condition_title ?? 'condition') } }),
        } },
      ],
    },
  };
}

/** Failed, non-converged and singular fits per condition, one panel per estimator. */
export function failureChart(rows: readonly ChartRow[]): ChartSpec {
  const conditions = conditionLayout(rows);
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
    columns: conditions.columns,
    spec: {
      width: conditions.width, height: 160,
      mark: 'bar',
      encoding: {
        x: conditions.axis,
        // Counts: whole-number ticks, and an axis from 0 to at least 1 when no fit failed.
        y: { field: 'count', type: 'quantitative', stack: 'zero', title: 'fits', scale: { domainMin: 0, domainMax: Math.max(1, most), nice: true }, axis: { format: 'd', tickMinStep: 1 } },
        color: { field: 'kind', type: 'nominal', scale: { domain: ['failed', 'non-converged', 'singular'], range: ['#c00', '#e90', '#77a'] } },
        tooltip: [{ field: 'estimator' }, { field: 'condition_label', title: 'condition' }, { field: 'kind' }, { field: 'count' }],
      },
    },
  };
}
