/**
 * Progress on stderr: a bar with replicates per second and time left on a terminal; plain lines every few
 * seconds otherwise (CI, cluster logs).
 */

/** How progress is shown. */
export type ProgressMode = 'bar' | 'lines' | 'none';

const seconds = (s: number): string => (!Number.isFinite(s) ? '?' : s < 60 ? `${s.toFixed(s < 10 ? 1 : 0)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`);

/** Tracks finished replicates out of a total and reports them. */
export class Progress {
  private done = 0;
  private readonly start = performance.now();
  private lastLine = 0;

  constructor(
    private readonly total: number,
    private readonly mode: ProgressMode,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly lineInterval = 10_000,
  ) {}

  /** The mode for the given stream: a bar on a terminal, lines elsewhere. */
  static modeFor(stream: NodeJS.WriteStream): ProgressMode {
    return stream.isTTY ? 'bar' : 'lines';
  }

  /** Adds finished replicates. */
  add(replicates: number): void {
    this.done += replicates;
    const now = performance.now();
    if (this.mode === 'bar') this.stream.write(`\r${this.text(now)}\x1b[K`);
    else if (this.mode === 'lines' && (now - this.lastLine >= this.lineInterval || this.done === this.total)) {
      this.lastLine = now;
      this.stream.write(`progress: ${this.text(now)}\n`);
    }
  }

  /** Ends the bar's line. */
  finish(): void {
    if (this.mode === 'bar') this.stream.write('\n');
  }

  private text(now: number): string {
    const elapsed = (now - this.start) / 1000;
    const rate = this.done / Math.max(elapsed, 1e-9);
    const left = (this.total - this.done) / rate;
    const share = this.total ? this.done / this.total : 1;
    const width = 24;
    const bar = this.mode === 'bar' ? `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ` : '';
    return `${bar}${this.done}/${this.total} replicates (${(100 * share).toFixed(0)}%), ${rate.toFixed(0)} rep/s, ${seconds(left)} left`;
  }
}
