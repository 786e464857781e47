import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFlags, root, runCli } from '../cli/run.ts';
import { tempDir } from '../tempDir.ts';

const study = join(root, 'test', 'fixtures', 'studies', 'tiny.ts');
const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');
const lines = (path: string): number => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0);

/** Starts a run of tiny (25 ms per replicate, chunks of 2) in another process; `exited` gives its exit code. */
function startRun(out: string, flags: readonly string[] = []) {
  const child = spawn(process.execPath, [...nodeFlags('study'), join(root, 'src', 'cli', 'launch.cjs'), 'study', study, '--out', out, '--chunk-size', '2', ...flags, '--quiet'], {
    cwd: root, env: { ...process.env, MIXSIM_TEST_PAUSE_MS: '25' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => { stderr += data.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, stderr: (): string => stderr };
}

/** Waits until the journal in `out` holds `chunks` finished chunks (a minute at most). */
async function untilJournaled(out: string, chunks: number): Promise<void> {
  const journal = join(out, 'journal.ndjson');
  const deadline = Date.now() + 60_000;
  while (lines(journal) < 1 + chunks && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Starts a run, sends it `signal` once its journal holds `chunks` finished chunks, and waits for it to end;
 * returns its exit code and standard error.
 */
async function signalAfter(out: string, chunks: number, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
  const run = startRun(out, ['--workers', '2']);
  await untilJournaled(out, chunks);
  run.child.kill(signal);
  return { code: await run.exited, stderr: run.stderr() };
}

describe('a run killed with SIGKILL', () => {
  it('resumes with --resume and ends with exactly the rows of an uninterrupted run', async () => {
    const whole = tempDir('mixsim-whole-');
    expect(runCli('study', [study, '--out', whole, '--quiet']).code).toBe(0);

    const out = tempDir('mixsim-killed-');
    await signalAfter(out, 3, 'SIGKILL');
    const kept = lines(join(out, 'journal.ndjson')) - 1;
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(kept).toBeLessThan(24);
    expect(existsSync(join(out, 'summary.csv'))).toBe(false);
    // A write torn by the kill: half a chunk line at the end of the journal.
    appendFileSync(join(out, 'journal.ndjson'), '{"condition":1,"from":22,"to":24,"errors":0,"rows":[[22,0,"(Inter');

    const resumed = runCli('study', [study, '--out', out, '--resume', '--quiet']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('cut off by the interruption');
    const ran = Number(/(\d+) replicates run/.exec(resumed.stdout)?.[1]);
    expect(ran).toBeLessThan(48);
    expect(ran).toBeGreaterThan(0);
    expect(read(out, 'replicates.csv')).toBe(read(whole, 'replicates.csv'));
    expect(read(out, 'summary.csv')).toBe(read(whole, 'summary.csv'));
  });
});

describe('two runs on one --out', () => {
  it('the second is refused while the first runs, and the first ends with every row once', async () => {
    const whole = tempDir('mixsim-whole-');
    expect(runCli('study', [study, '--out', whole, '--quiet']).code).toBe(0);
    const out = tempDir('mixsim-twice-');
    const first = startRun(out);
    await untilJournaled(out, 1);
    const journal = join(out, 'journal.ndjson');
    // Before the lock, this --resume ran the replicates still missing beside the first run: the journal then
    // held replicates twice and could not be summarised again.
    const second = runCli('study', [study, '--out', out, '--resume', '--quiet']);
    expect(second.stderr).toMatch(new RegExp(`^error: .*journal\\.ndjson is being written by run ${first.child.pid} on .*: wait for it to end, or give another --out`));
    expect(second.code).toBe(2);
    expect(await first.exited).toBe(0);
    expect(existsSync(`${journal}.lock`)).toBe(false);
    expect(read(out, 'replicates.csv')).toBe(read(whole, 'replicates.csv'));
  });
});

describe('a run interrupted with SIGINT', () => {
  it('stops with one line and exit code 2, its journal whole, and --resume finishes it', async () => {
    const whole = tempDir('mixsim-whole-');
    expect(runCli('study', [study, '--out', whole, '--quiet']).code).toBe(0);

    const out = tempDir('mixsim-interrupted-');
    const { code, stderr } = await signalAfter(out, 3, 'SIGINT');
    expect(code).toBe(2);
    expect(stderr).toBe('error: interrupted by SIGINT: the journal keeps every finished chunk; rerun with --resume to continue\n');
    const journal = read(out, 'journal.ndjson');
    expect(journal.endsWith('\n')).toBe(true);
    expect(lines(join(out, 'journal.ndjson')) - 1).toBeLessThan(24);
    expect(existsSync(join(out, 'summary.csv'))).toBe(false);

    const resumed = runCli('study', [study, '--out', out, '--resume', '--quiet']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).not.toContain('cut off');
    expect(read(out, 'replicates.csv')).toBe(read(whole, 'replicates.csv'));
    expect(read(out, 'summary.csv')).toBe(read(whole, 'summary.csv'));
  });
});
