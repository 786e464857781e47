/**
 * A charts thread: it loads Vega and Vega-Lite as soon as it starts (while the study's workers compute),
 * then renders charts to SVG on request. Only these threads import this module.
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
