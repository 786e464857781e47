/**
 * `npm run study <name> -- [flags]`: runs a study file's replicates on a worker pool, journals them, and
 * writes results/<name>/replicates.csv and summary.csv.
 */
import { relative } from 'node:path';
import { UserError } from '../errors.ts';
import { runStudy } from '../study/runner.ts';
import { parseArgs, positiveInteger } from './args.ts';
import { runCommand } from './main.ts';
import { formatSummary } from './studySummary.ts';

const USAGE = `usage: npm run study <name> -- [--reps N] [--seed S] [--workers W] [--out DIR] [--resume]
                [--where factor=value ...] [--estimators a,b] [--max-errors N] [--chunk-size N] [--quiet]`;

const FLAGS = {
  reps: 'string', seed: 'string', workers: 'string', out: 'string', resume: 'boolean', where: 'repeatable',
  estimators: 'string', 'max-errors': 'string', 'chunk-size': 'string', quiet: 'boolean', help: 'boolean',
} as const;

function nonNegativeInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new UserError(`study: --${flag} must be a non-negative integer, not '${value}'`);
  return Number(value);
}

runCommand(async (argv) => {
  const { flags, positionals } = parseArgs(argv, FLAGS, 'study');
  if (flags.help) { process.stdout.write(`${USAGE}\n`); return; }
  if (positionals.length !== 1) throw new UserError(positionals.length ? `study: one study at a time, not ${positionals.join(' ')}` : `study: which study? ${USAGE}`);
  const estimators = flags.estimators === undefined ? undefined : String(flags.estimators).split(',').map((e) => e.trim()).filter(Boolean);
  if (estimators && estimators.length === 0) throw new UserError('study: --estimators needs at least one estimator name');
  const result = await runStudy({
    study: positionals[0],
    replications: positiveInteger(flags.reps as string | undefined, 'reps', 'study'),
    seed: nonNegativeInteger(flags.seed as string | undefined, 'seed'),
    workers: positiveInteger(flags.workers as string | undefined, 'workers', 'study'),
    out: flags.out as string | undefined,
    resume: Boolean(flags.resume),
    where: (flags.where as string[] | undefined) ?? [],
    estimators,
    maxErrors: nonNegativeInteger(flags['max-errors'] as string | undefined, 'max-errors'),
    chunkSize: positiveInteger(flags['chunk-size'] as string | undefined, 'chunk-size', 'study'),
    progress: flags.quiet ? 'none' : undefined,
  });
  process.stdout.write(`${formatSummary(result.study, result.summary)}\n\n`);
  const where = (p: string): string => (relative(process.cwd(), p).startsWith('..') ? p : relative(process.cwd(), p));
  process.stdout.write(`${result.ran} replicates run in ${result.seconds.toFixed(2)} s\n`);
  process.stdout.write(`wrote ${where(result.summaryCsv)} and ${where(result.replicatesCsv)}\n`);
});
