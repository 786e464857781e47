/**
 * The failures chart: one panel per estimator, a stacked bar per condition of its failed, non-converged and
 * singular fits, counted on whole-number ticks from 0 to at least 1. The charts of conditions: conditions
 * in the design's order, and, for many conditions, wide panels whose labels do not overlap.
 */
import { describe, expect, it } from 'vitest';
import { biasChart, coverageChart, failureChart, renderSvg, seChart, type ChartRow, type ChartSpec } from '../../src/index.ts';

const row = (condition: string, estimator: string, failed: number, nonconverged: number, singular: number): ChartRow => ({
  condition_label: condition, condition_title: 'groups', estimator, parameter: 'X', n_failed: failed, n_nonconverged: nonconverged, n_singular: singular,
});

type Spec = { data: { values: ChartRow[] }; facet: { field: string }; spec: { encoding: { y: { scale: { domainMax: number }; axis: { format: string } } } } };

describe('failureChart', () => {
  const rows = [row('5', 'ri', 0, 0, 37), row('5', 'rs', 2, 3, 120), row('50', 'ri', 0, 1, 0), row('50', 'rs', 0, 0, 4)];
  // A second parameter of the same condition and estimator repeats its counts: they are counted once.
  const spec = failureChart([...rows, { ...rows[1], parameter: '(Intercept)' }]) as unknown as Spec;

  it('counts each condition and estimator once, by kind', () => {
    expect(spec.data.values).toHaveLength(4 * 3);
    const count = (condition: string, estimator: string, kind: string): unknown =>
      spec.data.values.find((v) => v.condition_label === condition && v.estimator === estimator && v.kind === kind)?.count;
    expect([count('5', 'rs', 'failed'), count('5', 'rs', 'non-converged'), count('5', 'rs', 'singular')]).toEqual([2, 3, 120]);
    expect(count('50', 'ri', 'non-converged')).toBe(1);
  });

  it('draws a panel per estimator on one axis of whole numbers up to the largest stack', () => {
    expect(spec.facet.field).toBe('estimator');
    expect(spec.spec.encoding.y.scale.domainMax).toBe(125);
    expect(spec.spec.encoding.y.axis.format).toBe('d');
  });

  it('keeps an axis from 0 to 1 when no fit failed, with no fractional tick', async () => {
    const none = failureChart([row('5', 'ri', 0, 0, 0), row('5', 'rs', 0, 0, 0)]) as unknown as Spec;
    expect(none.spec.encoding.y.scale.domainMax).toBe(1);
    const svg = await renderSvg(none as never);
    const ticks = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toEqual(expect.arrayContaining(['ri', 'rs', '0', '1']));
    expect(ticks.filter((t) => /^\d*\.\d+$/.test(t))).toEqual([]);
  });
});

/** A summary row of a condition and estimator, with every measure the charts draw. */
const measured = (condition: string, estimator: string, k: number): ChartRow => ({
  condition_label: condition, condition_title: 'n_groups / slope_sd', estimator, parameter: 'X', ci_method: 'wald',
  bias: 0.01 * Math.sin(k), bias_mcse: 0.002, coverage: 0.9 + 0.01 * Math.cos(k), coverage_mcse: 0.01, emp_se: 0.1 + 0.001 * k, model_se: 0.1,
  n_failed: k % 2, n_nonconverged: 0, n_singular: k % 3,
});

/** A rendered chart's labels of conditions (the texts with ' / ' in them), in drawing order, and whether each is shown. */
async function conditionLabels(spec: ChartSpec): Promise<{ text: string; x: number; shown: boolean }[]> {
  const svg = await renderSvg(spec);
  return [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].filter((m) => m[2].includes(' / ') && m[2] !== 'n_groups / slope_sd').map((m) => ({
    text: m[2], x: Number(/translate\(([-\d.e]+),/.exec(m[1])![1]), shown: !/opacity="0"/.test(m[1]),
  }));
}

describe('charts of conditions', () => {
  it("draw the conditions in the design's order, not sorted as text (10 after 5)", async () => {
    const design = ['5 / 0', '10 / 0', '40 / 0', '5 / 0.25', '10 / 0.25', '40 / 0.25'];
    const rows = design.flatMap((c, k) => [measured(c, 'ri', k), measured(c, 'rs', k + 1)]);
    // A panel, with its axis, per parameter (one here), and in the failures chart per estimator.
    for (const [spec, panels] of [[biasChart(rows), 1], [coverageChart(rows, 0.95), 1], [failureChart(rows), 2]] as const) {
      const labels = await conditionLabels(spec);
      expect(labels).toHaveLength(panels * design.length);
      for (let p = 0; p < panels; p++) {
        const panel = labels.slice(p * design.length, (p + 1) * design.length);
        expect(panel.map((l) => l.text)).toEqual(design);
        expect(panel.every((l) => l.shown)).toBe(true);
        expect(panel.map((l) => l.x)).toEqual([...panel.map((l) => l.x)].sort((a, b) => a - b));
      }
    }
    // Few conditions: three panels a row, and a shape per condition in the SE chart, in the same order.
    expect((biasChart(rows) as { columns: number }).columns).toBe(3);
    const shape = (seChart(rows) as { spec: { layer: { encoding: { shape?: { sort: string[] } } }[] } }).spec.layer[1].encoding.shape;
    expect(shape?.sort).toEqual(design);
  });

  it('give many conditions one wide panel a row, whose shown labels do not overlap, and no shape per condition', async () => {
    const design = Array.from({ length: 60 }, (_, k) => `${[5, 10, 20, 40, 80][k % 5]} / ${Math.floor(k / 5) / 4}`);
    const rows = design.flatMap((c, k) => [measured(c, 'ri', k), measured(c, 'rs', k + 1)]);
    for (const spec of [biasChart(rows), coverageChart(rows, 0.95), failureChart(rows)]) {
      const panels = spec as { columns: number; spec: { width: number } };
      expect([panels.columns, panels.spec.width]).toEqual([1, 600]);
      const labels = await conditionLabels(spec);
      expect(labels.map((l) => l.text)).toEqual(design);
      const shown = labels.filter((l) => l.shown).map((l) => l.x);
      expect(shown.length).toBeGreaterThanOrEqual(design.length / 3);
      // Upright labels 10 pixels high: those shown are at least that far apart.
      for (let i = 1; i < shown.length; i++) expect(shown[i] - shown[i - 1]).toBeGreaterThanOrEqual(10);
    }
    expect((seChart(rows) as { spec: { layer: { encoding: object }[] } }).spec.layer[1].encoding).not.toHaveProperty('shape');
    // Past 130 conditions the panel stops at 1300 pixels.
    const wide = Array.from({ length: 200 }, (_, k) => measured(`${k} / 0`, 'ri', k));
    expect((biasChart(wide) as { spec: { width: number } }).spec.width).toBe(1300);
  });
});
