import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli } from '../cli/run.ts';

const study = join(root, 'test', 'fixtures', 'studies', 'tiny.ts');
const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');
const lines = (path: string): number => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0);

/** Starts a run, SIGKILLs it once its journal holds `chunks` finished chunks, and waits for it to die. */
async function killAfter(out: string, chunks: number): Promise<void> {
  const child = spawn(process.execPath, [join(root, 'src', 'cli', 'launch.cjs'), 'study', study, '--out', out, '--chunk-size', '2', '--workers', '2', '--quiet'], {
    cwd: root, env: { ...process.env, MIXSIM_TEST_PAUSE_MS: '25' }, stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const journal = join(out, 'journal.ndjson');
  const deadline = Date.now() + 60_000;
  while (lines(journal) < 1 + chunks && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  await exited;
}

describe('a run killed with SIGKILL', () => {
  it('resumes with --resume and ends with exactly the rows of an uninterrupted run', async () => {
    const whole = mkdtempSync(join(tmpdir(), 'mixsim-whole-'));
    expect(runCli('study', [study, '--out', whole, '--quiet']).code).toBe(0);

    const out = mkdtempSync(join(tmpdir(), 'mixsim-killed-'));
    await killAfter(out, 3);
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
