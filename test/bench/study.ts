/**
 * The study runner's benchmark (issue 3's targets), on the seed study's own condition (5 groups, slope SD
 * 0.25, the random-intercept estimator): the whole `npm run study` process, timed from outside, against
 * the seed's statsmodels MixedLM loop (seed_statsmodels.py) run in the same benchmark, serial and with
 * joblib on every core, whichever is faster. Its time is the loop's alone (Python's start-up excluded);
 * at 5000 replicates it is its per-replicate time at 500 times 5000 (the loop is linear in replicates).
 * Targets: 10x faster at 500 replicates, 40x at 5000; two workers at least 1.8x faster than one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = fileURLToPath(new URL('./seed_statsmodels.py', import.meta.url));

/** A Python with statsmodels and joblib (Debian's /usr/bin/python3 when another python3 comes first). */
function statsmodelsPython(): string | undefined {
  return ['python3', '/usr/bin/python3'].find((python) => spawnSync(python, ['-c', 'import statsmodels, joblib'], { encoding: 'utf8' }).status === 0);
}

/** Seconds of the statsmodels loop for `reps` replicates with `jobs` processes. */
function statsmodelsSeconds(python: string, reps: number, jobs: number): number {
  const r = spawnSync(python, [script, String(reps), String(jobs)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`statsmodels failed: ${r.stderr}`);
  return Number(r.stdout.trim().split(' ')[0]);
}

/** Wall seconds of the whole `npm run study` process, and of its replicate phase (as the command prints it). */
interface Run {
  readonly seconds: number;
  readonly replicateSeconds: number;
}

function mixsimRun(reps: number, workers: number): Run {
  const out = mkdtempSync(join(tmpdir(), 'mixsim-bench-'));
  const start = performance.now();
  const r = spawnSync('npm', ['run', '-s', 'study', 'mixedlm', '--', '--where', 'n_groups=5', '--where', 'slope_sd=0.25',
    '--estimators', 'ri', '--reps', String(reps), '--workers', String(workers), '--out', out, '--quiet'], { cwd: root, encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`npm run study failed: ${r.stderr}`);
  const phase = /replicates ([\d.]+) s,/.exec(r.stdout);
  if (!phase) throw new Error(`npm run study printed no replicate time: ${r.stdout}`);
  return { seconds, replicateSeconds: Number(phase[1]) };
}

const mixsimSeconds = (reps: number, workers: number): number => mixsimRun(reps, workers).seconds;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The median of each of a run's two times. */
const medianRun = (runs: readonly Run[]): Run => ({ seconds: median(runs.map((r) => r.seconds)), replicateSeconds: median(runs.map((r) => r.replicateSeconds)) });

/** Runs the study benchmark and prints its ratios; returns false when a target is missed. */
export function benchStudy(): boolean {
  const cores = availableParallelism();
  console.log(`\nStudy: seed condition (5 groups, slope SD 0.25, ri), whole \`npm run study\` process, ${cores} cores`);
  // The fixed cost of a run: npm, Node, the threads, the first (cold) replicates, the tables and the report.
  // Every figure is the median of three runs (the same command varies by 10 % or more on a shared machine).
  const floor = median([1, 2, 3].map(() => mixsimSeconds(2, cores)));
  const ours500 = median([1, 2, 3].map(() => mixsimSeconds(500, cores)));
  // One and two workers alternate, so that a drift in the machine's speed meets both alike.
  const ones: Run[] = [];
  const twos: Run[] = [];
  for (let k = 0; k < 3; k++) {
    ones.push(mixsimRun(5000, 1));
    if (cores >= 2) twos.push(mixsimRun(5000, 2));
  }
  const one = medianRun(ones);
  const two = cores >= 2 ? medianRun(twos) : { seconds: NaN, replicateSeconds: NaN };
  const ours5000 = cores === 2 ? two.seconds : median([1, 2, 3].map(() => mixsimSeconds(5000, cores)));
  const one5000 = one.seconds;
  const two5000 = two.seconds;
  console.log(`mixsim     500 replicates: ${ours500.toFixed(2)} s   5000 replicates: ${ours5000.toFixed(2)} s   2 replicates (the fixed cost): ${floor.toFixed(2)} s`);
  const scaling = one5000 / two5000;
  console.log(`workers    5000 replicates: 1 worker ${one5000.toFixed(2)} s, 2 workers ${two5000.toFixed(2)} s: x${scaling.toFixed(2)} (target x1.8: ${scaling >= 1.8 ? 'met' : 'MISSED'})`);
  console.log(`           replicate phase alone: 1 worker ${one.replicateSeconds.toFixed(2)} s, 2 workers ${two.replicateSeconds.toFixed(2)} s: x${(one.replicateSeconds / two.replicateSeconds).toFixed(2)}`);
  const python = statsmodelsPython();
  if (!python) {
    console.log('(statsmodels not installed: apt-get install -y python3-statsmodels python3-joblib for the ratios)');
    return scaling >= 1.8;
  }
  const serial = statsmodelsSeconds(python, 500, 1);
  const parallel = statsmodelsSeconds(python, 500, cores);
  const reference = Math.min(serial, parallel);
  console.log(`statsmodels 500 replicates: serial loop ${serial.toFixed(2)} s, joblib (${cores} jobs) ${parallel.toFixed(2)} s: reference ${(1000 * reference / 500).toFixed(1)} ms per replicate`);
  const ratio500 = reference / ours500;
  const ratio5000 = (reference * 10) / ours5000;
  console.log(`ratio      500 replicates: x${ratio500.toFixed(1)} faster (target x10: ${ratio500 >= 10 ? 'met' : 'MISSED'}; x10 is a whole run of ${(reference / 10).toFixed(2)} s, against a fixed cost of ${floor.toFixed(2)} s)`);
  console.log(`ratio     5000 replicates: x${ratio5000.toFixed(1)} faster than ${(reference * 10).toFixed(0)} s (target x40: ${ratio5000 >= 40 ? 'met' : 'MISSED'})`);
  return ratio500 >= 10 && ratio5000 >= 40 && scaling >= 1.8;
}
