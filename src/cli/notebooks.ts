/**
 * `npm run notebooks`: registers the TypeScript kernel (tslab) with Jupyter and executes every notebook in
 * notebooks/ headless with `jupyter nbconvert --execute`, into results/notebooks/ (the committed notebooks
 * keep no outputs). A cell that errors fails the command, naming the notebook.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { makeDirectory } from '../directory.ts';
import { UserError } from '../errors.ts';
import { parseArgs } from './args.ts';
import { runCommand } from './main.ts';

/** A Python that has Jupyter's nbconvert and kernel client (Debian's /usr/bin/python3 when another comes first). */
function jupyterPython(): string {
  const found = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import nbconvert, jupyter_client'], { stdio: 'ignore' }).status === 0);
  if (!found) throw new UserError('notebooks: no Python with Jupyter nbconvert found (apt-get install -y jupyter-nbconvert python3-ipykernel)');
  return found;
}

runCommand((argv) => {
  const { positionals } = parseArgs(argv, {}, 'notebooks');
  const folder = resolve('notebooks');
  const notebooks = (positionals.length ? positionals : readdirSync(folder).filter((f) => f.endsWith('.ipynb')).sort().map((f) => join(folder, f)));
  if (notebooks.length === 0) throw new UserError(`notebooks: no notebook in ${folder}`);
  const missing = notebooks.find((n) => !existsSync(n) || !n.endsWith('.ipynb'));
  if (missing) throw new UserError(`notebooks: ${missing} is not a notebook file (.ipynb) that exists`);
  const python = jupyterPython();
  const tslab = join(dirname(createRequire(import.meta.url).resolve('tslab/package.json')), 'bin', 'tslab');
  const install = spawnSync(process.execPath, [tslab, 'install', `--python=${python}`, `--binary=${tslab}`], { encoding: 'utf8' });
  if (install.status !== 0) throw new UserError(`notebooks: tslab install failed: ${install.stderr.trim().split('\n').at(-1)}`);
  const out = makeDirectory(resolve('results', 'notebooks'), 'notebooks: results folder');
  for (const notebook of notebooks) {
    const started = performance.now();
    const r = spawnSync(python, ['-m', 'nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=900',
      '--ExecutePreprocessor.kernel_name=tslab', '--output-dir', out, notebook], { encoding: 'utf8' });
    if (r.status !== 0) {
      const reason = r.stderr.trim().split('\n').filter((l) => /Error|error/.test(l)).at(-1) ?? r.stderr.trim().split('\n').at(-1);
      throw new UserError(`notebooks: ${notebook} failed: ${reason}`);
    }
    process.stdout.write(`executed ${notebook} in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${join(out, notebook.split('/').at(-1)!)}\n`);
  }
});
