/**
 * The notebooks run headless (`npm run notebooks`: tslab's kernel, `jupyter nbconvert --execute`), and a
 * cell that errors fails the run. Without Jupyter the test says so and is skipped (.ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli } from './cli/run.ts';
import { tempDir } from './tempDir.ts';

const hasJupyter = ['python3', '/usr/bin/python3'].some((p) => spawnSync(p, ['-c', 'import nbconvert, jupyter_client'], { stdio: 'ignore' }).status === 0);
if (!hasJupyter) console.warn('notebook test skipped: no Jupyter nbconvert (apt-get install -y jupyter-nbconvert python3-ipykernel)');

describe.skipIf(!hasJupyter)('npm run notebooks', () => {
  it('executes every notebook without a cell error, with the plots inline', () => {
    // The notebooks write their results under the system's temporary folder: here, one that is removed after.
    const env = { ...process.env, TMPDIR: tempDir('mixsim-notebooks-') };
    const r = spawnSync('npm', ['run', '-s', 'notebooks'], { cwd: root, encoding: 'utf8', timeout: 900_000, env });
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error')).join('\n')).toBe('');
    expect(r.status).toBe(0);
    for (const name of ['tutorial', 'seed-study']) {
      const path = join(root, 'results', 'notebooks', `${name}.ipynb`);
      expect(existsSync(path), path).toBe(true);
      const cells = JSON.parse(readFileSync(path, 'utf8')).cells as { cell_type: string; outputs?: { output_type: string; data?: Record<string, string | string[]> }[] }[];
      const outputs = cells.flatMap((c) => c.outputs ?? []);
      expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
      // nbformat keeps a multi-line output as a list of lines.
      const html = (o: (typeof outputs)[number]): string => [o.data?.['text/html'] ?? ''].flat().join('');
      expect(outputs.filter((o) => html(o).includes('<svg')).length, name).toBeGreaterThanOrEqual(2);
    }
    // The committed notebooks keep no outputs.
    for (const name of ['tutorial', 'seed-study']) {
      const committed = JSON.parse(readFileSync(join(root, 'notebooks', `${name}.ipynb`), 'utf8')).cells as { outputs?: unknown[] }[];
      expect(committed.every((c) => (c.outputs ?? []).length === 0)).toBe(true);
    }
  }, 900_000);
});

describe('npm run notebooks on bad input', () => {
  it.each([['nonexist.ipynb'], ['README.md']])('refuses %s in one line, before starting Jupyter', (file) => {
    const r = runCli('notebooks', [file]);
    expect(r.stderr).toBe(`error: notebooks: ${file} is not a notebook file (.ipynb) that exists\n`);
    expect(r.code).toBe(2);
  });
});
