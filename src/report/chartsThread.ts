/**
 * The task that renders a chart to SVG, in a charts thread of the results writer or in a study's worker
 * (resultsWriter.ts). A thread that imports it loads Vega and Vega-Lite at once.
 */
import type { ChartSpec } from './charts.ts';
import { loadVega, renderSvg } from './html.ts';

/** A request to a charts thread: a Vega-Lite specification to render; `null` only has the thread load. */
export type ChartRequest = ChartSpec | null;

loadVega().catch(() => undefined);

/** The thread's task. */
export default async function renderChart(request: ChartRequest): Promise<string | void> {
  if (request) return renderSvg(request);
}
