/** The summary table `npm run study` prints at the end. */
import { conditions } from '../study/design.ts';
import type { Study } from '../study/define.ts';
import type { SummaryRow } from '../summary/tables.ts';

const fmt = (v: number, digits = 4): string => (Number.isFinite(v) ? v.toFixed(digits) : 'NA');

/** A fixed-width table: design factors, estimator, parameter, truth, bias (MCSE), SEs, coverage. */
export function formatSummary(study: Study, rows: readonly SummaryRow[]): string {
  const grid = conditions(study.design);
  const factors = Object.keys(study.design);
  const header = [...factors, 'estimator', 'parameter', 'ci', 'true', 'bias', '(mcse)', 'emp_se', 'model_se', 'coverage', 'n', 'singular'];
  const body = rows.map((r) => {
    const p = r.performance;
    const values = grid[r.condition].values as Record<string, unknown>;
    return [...factors.map((f) => String(values[f])), r.estimator, r.parameter, r.ciMethod, fmt(p.trueValue, 3), fmt(p.bias), `(${fmt(p.biasMcse)})`,
      fmt(p.empSe), fmt(p.modelSe), fmt(p.coverage, 3), String(p.nReps), String(p.nSingular)];
  });
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((b) => b[j].length)));
  const textual = factors.length + 3;
  const line = (cells: string[]): string => cells.map((c, j) => (j < textual ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}
