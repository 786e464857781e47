/** Fixed-width text tables, as the commands print them. */

/**
 * Rows of cells under a header, each column as wide as its widest cell, two spaces apart: text columns
 * (`isText`) left-aligned, the others (numbers) right-aligned.
 */
export function fixedWidthTable(header: readonly string[], body: readonly (readonly string[])[], isText: (column: number) => boolean): string {
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((b) => b[j].length)));
  const line = (cells: readonly string[]): string => cells.map((c, j) => (isText(j) ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}
