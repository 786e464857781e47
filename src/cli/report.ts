/**
 * `npm run report <name | results folder> [-- --out DIR]`: rebuilds report.html from a run's CSV files
 * (summary.csv, and run.json when it is there), without rerunning anything.
 */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { makeDirectory } from '../directory.ts';
import { UserError } from '../errors.ts';
import { writeReport } from '../report/html.ts';
import { parseArgs } from './args.ts';
import { displayPath, runCommand } from './main.ts';

const USAGE = 'usage: npm run report <name | results folder> [-- --out DIR]';

runCommand(async (argv) => {
  const { flags, positionals } = parseArgs(argv, { out: 'string', help: 'boolean' }, 'report');
  if (flags.help) { process.stdout.write(`${USAGE}\n`); return; }
  if (positionals.length !== 1) throw new UserError(`report: which study? ${USAGE}`);
  const given = positionals[0];
  const dir = existsSync(given) && statSync(given).isDirectory() ? resolve(given) : resolve('results', given);
  if (!existsSync(dir)) throw new UserError(`report: no results for '${given}' (no folder ${relative(process.cwd(), dir) || dir}): run the study first`);
  const out = flags.out === undefined ? dir : makeDirectory(flags.out as string, '--out');
  const path = await writeReport(dir, out);
  process.stdout.write(`wrote ${displayPath(path)}\n`);
});
