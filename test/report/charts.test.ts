/**
 * The failures chart: one panel per estimator, a stacked bar per condition of its failed, non-converged and
 * singular fits, counted on whole-number ticks from 0 to at least 1.
 */
import { describe, expect, it } from 'vitest';
import { failureChart, renderSvg, type ChartRow } from '../../src/index.ts';

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
