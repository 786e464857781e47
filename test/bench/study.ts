/**
 * The study runner's benchmark (issue 3's targets), on the seed study's own condition (5 groups, slope SD
 * 0.25, the random-intercept estimator): the whole `npm run study` process, timed from outside, against
 * the seed's statsmodels MixedLM loop (seed_statsmodels.py) run in the same benchmark, serial and with
 * joblib on every core, whichever is faster. Its time is the loop's alone (Python's start-up excluded);
 * at 5000 replicates it is its per-replicate time at 500 times 5000 (the loop is linear in replicates).
 * Targets: 10x faster at 500 replicates, 40x at 5000; two workers at least 1.8x faster than one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFlags } from '../cli/run.ts';
import { BLOCK, BLOCKS } from './warmUp.ts';

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

/**
 * Runs the seed condition. Its results folder is removed, unless `keep` is true and the run succeeded: the
 * caller then removes it.
 */
function mixsimRun(reps: number, workers: number, keep = false): Run & { out: string } {
  const out = mkdtempSync(join(tmpdir(), 'mixsim-bench-'));
  const start = performance.now();
  const r = spawnSync('npm', ['run', '-s', 'study', 'mixedlm', '--', '--where', 'n_groups=5', '--where', 'slope_sd=0.25',
    '--estimators', 'ri', '--reps', String(reps), '--workers', String(workers), '--out', out, '--quiet'], { cwd: root, encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  const phase = /replicates ([\d.]+) s,/.exec(r.stdout);
  if (!keep || r.status !== 0 || !phase) rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`npm run study failed: ${r.stderr}`);
  if (!phase) throw new Error(`npm run study printed no replicate time: ${r.stdout}`);
  return { seconds, replicateSeconds: Number(phase[1]), out };
}

/** Wall seconds of a command, the median of three runs. */
function commandSeconds(command: string, args: readonly string[], cwd: string): number {
  return median([1, 2, 3].map(() => {
    const start = performance.now();
    const r = spawnSync(command, args, { cwd, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
    return (performance.now() - start) / 1000;
  }));
}

/**
 * What every `npm run study` pays whatever its replicates, measured here: `npm run` of a script that only
 * starts Node, and `npm run report` rebuilding a 500-replicate run's report.html from its CSV files (npm,
 * Node, the library, Vega and the four charts), which every study run also writes (the report issue).
 */
function floors(results: string): { npmNode: number; report: number } {
  const empty = mkdtempSync(join(tmpdir(), 'mixsim-bench-npm-'));
  writeFileSync(join(empty, 'package.json'), JSON.stringify({ name: 'empty', private: true, scripts: { start: 'node -e 0' } }));
  const npmNode = commandSeconds('npm', ['run', '-s', 'start'], empty);
  rmSync(empty, { recursive: true, force: true });
  const report = commandSeconds('npm', ['run', '-s', 'report', results, '--', '--out', join(results, 'again')], root);
  return { npmNode, report };
}

/**
 * What NODE_EXTRA_CA_CERTS, when it is set, costs each Node process at its start (Node reads and parses the
 * certificates before it runs any code): npm and mixsim's command each pay it; worker threads do not.
 */
function extraCertificatesSeconds(): number | undefined {
  if (!process.env.NODE_EXTRA_CA_CERTS) return undefined;
  const { NODE_EXTRA_CA_CERTS: _, ...without } = process.env;
  const start = (env: NodeJS.ProcessEnv): number => median([1, 2, 3, 4, 5].map(() => {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { env });
    return (performance.now() - t) / 1000;
  }));
  return start(process.env) - start(without);
}

/**
 * One worker's warm-up, in a Node process with the study command's flags: milliseconds per replicate of the
 * first and last blocks of warmUp.ts, and the seconds its replicates took beyond the last block's rate.
 */
function warmUp(): { first: number; last: number; excess: number } {
  const r = spawnSync(process.execPath, [...nodeFlags('study'), '-e', "require('./src/compile/register.cjs'); require('./test/bench/warmUp.ts')"], {
    cwd: root, encoding: 'utf8', env: { ...process.env, MIXSIM_BENCH_WARM_UP: '1' },
  });
  if (r.status !== 0) throw new Error(`warm-up failed: ${r.stderr}`);
  const blocks = JSON.parse(r.stdout) as number[];
  const last = blocks[blocks.length - 1];
  return { first: blocks[0], last, excess: blocks.reduce((sum, ms) => sum + (ms - last) * BLOCK, 0) / 1000 };
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
  const runs500 = [1, 2, 3].map((k) => mixsimRun(500, cores, k === 3));
  const ours500 = median(runs500.map((r) => r.seconds));
  let measured: ReturnType<typeof floors>;
  try {
    measured = floors(runs500[2].out);
  } finally {
    rmSync(runs500[2].out, { recursive: true, force: true });
  }
  const { npmNode, report } = measured;
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
  console.log(`floors     npm run of a script that only starts Node: ${npmNode.toFixed(2)} s   npm run report of the 500-replicate run (the report every run writes): ${report.toFixed(2)} s`);
  const certificates = extraCertificatesSeconds();
  if (certificates !== undefined) console.log(`           NODE_EXTRA_CA_CERTS is set here: each Node process's start reads it, ${certificates.toFixed(2)} s (npm's and the command's; in every figure above)`);
  const scaling = one5000 / two5000;
  console.log(`workers    5000 replicates: 1 worker ${one5000.toFixed(2)} s, 2 workers ${two5000.toFixed(2)} s: x${scaling.toFixed(2)} (target x1.8: ${scaling >= 1.8 ? 'met' : 'MISSED'})`);
  console.log(`           replicate phase alone: 1 worker ${one.replicateSeconds.toFixed(2)} s, 2 workers ${two.replicateSeconds.toFixed(2)} s: x${(one.replicateSeconds / two.replicateSeconds).toFixed(2)}`);
  // Two workers can halve what one worker's run spends beyond the fixed cost, and no more.
  console.log(`           a perfect split of all but the fixed cost would give x${(one5000 / (floor + (one5000 - floor) / 2)).toFixed(2)}`);
  // Each worker warms up on its own (V8 compiles, in the worker's thread, the functions that run once per
  // replicate only after many replicates): two workers halve the replicates, not the warm-up.
  const warm = warmUp();
  const phase = (replicates: number): number => warm.excess + (replicates * warm.last) / 1000;
  console.log(`warm-up    one thread from cold: replicates 1-${BLOCK} ${warm.first.toFixed(2)} ms each, ${BLOCK * (BLOCKS - 1) + 1}-${BLOCK * BLOCKS} ${warm.last.toFixed(2)} ms;`
    + ` ${warm.excess.toFixed(2)} s beyond that rate, which each worker pays: 5000 replicates' phase would then be x${(phase(5000) / phase(2500)).toFixed(2)} on 2 workers`);
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
  console.log(`ratio      500 replicates: x${ratio500.toFixed(1)} faster (target x10: ${ratio500 >= 10 ? 'met' : 'MISSED'}; x10 is a whole run of ${(reference / 10).toFixed(2)} s, against a fixed cost of ${floor.toFixed(2)} s and a report alone of ${report.toFixed(2)} s)`);
  console.log(`ratio     5000 replicates: x${ratio5000.toFixed(1)} faster than ${(reference * 10).toFixed(0)} s (target x40: ${ratio5000 >= 40 ? 'met' : 'MISSED'}; x40 is a whole run of ${(reference * 10 / 40).toFixed(2)} s)`);
  // Both targets at once. With F what a run pays whatever its workers (npm, Node, the threads' start and
  // warm-up, the tables, the report) and V what one worker spends on the rest, two workers take at least
  // F + V/2: x1.8 needs F + V >= 1.8 (F + V/2), that is V >= 8F, and x40 needs F + V/2 <= T; so both need F <= T/5.
  const x40 = (reference * 10) / 40;
  console.log(`together   x1.8 needs V >= 8F (F: the fixed cost; V: the rest of a one-worker run), x40 F + V/2 <= ${x40.toFixed(2)} s: both only if F <= ${(x40 / 5).toFixed(2)} s,`
    + ` against a fixed cost of ${floor.toFixed(2)} s, of which npm and Node alone ${npmNode.toFixed(2)} s`);
  return ratio500 >= 10 && ratio5000 >= 40 && scaling >= 1.8;
}
