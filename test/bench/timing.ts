/** Timing helpers for benchmarks: warm up, then the median of repeated runs. */
import { spawnSync } from 'node:child_process';

/** Median milliseconds per call of `fn` after `warmup` calls, over `runs` batches of `batch` calls. */
export function medianMs(fn: () => unknown, { warmup = 200, runs = 15, batch = 50 } = {}): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) fn();
    times.push((performance.now() - t) / batch);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Median milliseconds per call of `a` and of `b`, their batches interleaved (a, b, a, b, ...) so that the
 * machine's drift and noise fall on both alike: for a difference between two close timings.
 */
export function medianPairMs(a: () => unknown, b: () => unknown, { warmup = 200, runs = 15, batch = 50 } = {}): [number, number] {
  for (let i = 0; i < warmup; i++) { a(); b(); }
  const times: [number[], number[]] = [[], []];
  for (let r = 0; r < runs; r++) {
    [a, b].forEach((fn, k) => {
      const t = performance.now();
      for (let i = 0; i < batch; i++) fn();
      times[k].push((performance.now() - t) / batch);
    });
  }
  const median = (list: number[]): number => list.sort((x, y) => x - y)[Math.floor(list.length / 2)];
  return [median(times[0]), median(times[1])];
}

/** Whether a command is on the PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

/** Whether R can load these packages. */
export function hasRPackages(...packages: string[]): boolean {
  if (!hasCommand('Rscript')) return false;
  const r = spawnSync('Rscript', ['-e', packages.map((p) => `suppressMessages(library(${p}))`).join(';')], { encoding: 'utf8' });
  return r.status === 0;
}

/** Runs an R script and returns its standard output; throws with R's error otherwise. */
export function runR(script: string): string {
  const r = spawnSync('Rscript', ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`R failed: ${r.stderr}`);
  return r.stdout;
}

/** A row of a benchmark table. */
export function row(label: string, ours: number, reference: number | undefined, unit = 'ms'): string {
  const ref = reference === undefined ? 'n/a'.padStart(12) : `${reference.toFixed(3).padStart(9)} ${unit}`;
  const ratio = reference === undefined ? '' : `  x${(reference / ours).toFixed(1)} faster`;
  return `${label.padEnd(44)} ${ours.toFixed(4).padStart(10)} ${unit}  ${ref}${ratio}`;
}
