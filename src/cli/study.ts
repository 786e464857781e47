/**
 * `npm run study <name> -- [flags]`: runs a study file's replicates on a worker pool, journals them, and
 * writes results/<name>/replicates.csv and summary.csv.
 */
import { basename, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { mergeShards } from '../study/merge.ts';
import type { Study } from '../study/define.ts';
import { listStudies } from '../study/load.ts';
import { runStudy } from '../study/runner.ts';
import { replayReplicate } from '../study/replay.ts';
import { parseShard, shardFromEnvironment, shardText } from '../study/shard.ts';
import { writeSlurmScripts } from '../study/slurm.ts';
import type { SummaryRow } from '../summary/tables.ts';
import { nonNegativeInteger, parseArgs, positiveInteger } from './args.ts';
import { displayPath, runCommand } from './main.ts';
import { formatReplay } from './replaySummary.ts';
import { formatFailures, formatSummary, formatUnmatchedTruth } from './studySummary.ts';

const USAGE = `usage: npm run study <name> -- [--reps N] [--seed S] [--workers W] [--out DIR] [--resume]
                [--where factor=value ...] [--estimators a,b] [--max-errors N] [--chunk-size N] [--quiet]
                [--shard I/N] [--merge] [--slurm N [--partition P] [--time T] [--cpus C] [--mem M]]
                [--replay CONDITION:REPLICATE]`;

const FLAGS = {
  reps: 'string', seed: 'string', workers: 'string', out: 'string', resume: 'boolean', where: 'repeatable',
  estimators: 'string', 'max-errors': 'string', 'chunk-size': 'string', quiet: 'boolean', help: 'boolean',
  shard: 'string', merge: 'boolean', slurm: 'string', partition: 'string', time: 'string', cpus: 'string', mem: 'string',
  replay: 'string',
} as const;

/** The flags that go with --replay: the others make or change a run. */
const REPLAY_FLAGS = new Set(['replay', 'seed', 'estimators', 'out', 'quiet', 'help']);

/** `--replay C:R`: a condition's index and a replicate, as replicates.csv's columns give them. */
function parseReplay(text: string): { condition: number; replicate: number } {
  const m = /^(\d+):(\d+)$/.exec(text.trim());
  if (!m) throw new UserError(`study: --replay must be CONDITION:REPLICATE (replicates.csv's condition and replicate), like 3:17, not '${text}'`);
  return { condition: Number(m[1]), replicate: Number(m[2]) };
}

/** The flags a shard, a rerun or a merge passes on unchanged. */
function runFlags(argv: readonly string[]): string[] {
  const passed = new Set(['--reps', '--seed', '--where', '--estimators', '--max-errors', '--chunk-size']);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].split('=')[0];
    if (!passed.has(name)) continue;
    out.push(argv[i]);
    if (!argv[i].includes('=') && i + 1 < argv.length) out.push(argv[++i]);
  }
  return out;
}

/**
 * The summary table, then the failures and true values that matched no parameter when there were some, as
 * printed at the end of a run.
 */
function summaryText(study: Study, summary: readonly SummaryRow[], replayCommand: string): string {
  const failed = summary.find((r) => r.firstFailure);
  const replay = failed?.firstFailure ? `replay one alone, with its dataset: ${replayCommand} --replay ${failed.condition}:${failed.firstFailure.replicate}` : '';
  const notes = [[formatFailures(study, summary), replay].filter(Boolean).join('\n'), formatUnmatchedTruth(study, summary)].filter(Boolean);
  return `${formatSummary(study, summary)}\n\n${notes.map((n) => `${n}\n\n`).join('')}`;
}

runCommand(async (argv) => {
  const { flags, positionals } = parseArgs(argv, FLAGS, 'study');
  if (flags.help) { process.stdout.write(`${USAGE}\n`); return; }
  if (positionals.length !== 1) {
    const known = listStudies(resolve('studies'));
    throw new UserError(positionals.length
      ? `study: one study at a time, not ${positionals.join(' ')}`
      : `study: which study? npm run study <name> (studies: ${known.length ? known.join(', ') : 'none in studies/'}; flags: npm run study -- --help)`);
  }
  const estimators = flags.estimators === undefined ? undefined : String(flags.estimators).split(',').map((e) => e.trim()).filter(Boolean);
  if (estimators && estimators.length === 0) throw new UserError('study: --estimators needs at least one estimator name');
  const study = positionals[0];
  const seed = nonNegativeInteger(flags.seed as string | undefined, 'seed', 'study');
  const slurmOnly = ['partition', 'time', 'cpus', 'mem'].filter((f) => flags[f] !== undefined);
  if (slurmOnly.length && flags.slurm === undefined) throw new UserError(`study: --${slurmOnly[0]} goes with --slurm N`);
  if (flags.merge && (flags.shard !== undefined || flags.slurm !== undefined)) throw new UserError('study: --merge goes alone, without --shard or --slurm');

  // The command that replays one of this run's replicates: the run's output folder holds its seed and estimators.
  const replayCommand = `npm run study ${study} --${flags.out !== undefined ? ` --out ${String(flags.out)}` : ''}`;

  if (flags.replay !== undefined) {
    const other = Object.keys(flags).find((f) => flags[f] !== undefined && !REPLAY_FLAGS.has(f));
    if (other) throw new UserError(`study: --replay goes without --${other} (with --seed, --estimators and --out only)`);
    const replay = await replayReplicate({ study, ...parseReplay(String(flags.replay)), seed, estimators, out: flags.out as string | undefined });
    process.stdout.write(formatReplay(replay));
    return;
  }

  if (flags.slurm !== undefined) {
    const shards = positiveInteger(flags.slurm as string, 'slurm', 'study')!;
    const outDir = resolve(flags.out as string | undefined ?? join('results', basename(study, '.ts')));
    const scripts = writeSlurmScripts({
      study, repository: process.cwd(), outDir, shards, flags: runFlags(argv),
      cpus: positiveInteger(flags.cpus as string | undefined, 'cpus', 'study'),
      partition: flags.partition as string | undefined, time: flags.time as string | undefined, mem: flags.mem as string | undefined,
    });
    process.stdout.write(`wrote ${displayPath(scripts.array)} (${shards} shards) and ${displayPath(scripts.merge)}\nsubmit both with:\n  ${scripts.submit}\n`);
    return;
  }
  if (flags.merge) {
    const merged = await mergeShards({ study, out: flags.out as string | undefined, seed, rerunFlags: [...(flags.out ? ['--out', String(flags.out)] : []), ...runFlags(argv)] });
    process.stdout.write(summaryText(merged.study, merged.summary, replayCommand));
    process.stdout.write(`merged ${merged.shards} shards\nwrote ${displayPath(merged.summaryCsv)}, ${displayPath(merged.replicatesCsv)} and ${displayPath(merged.reportHtml)}\n`);
    return;
  }
  const shard = flags.shard !== undefined ? parseShard(String(flags.shard)) : shardFromEnvironment();
  const result = await runStudy({
    study,
    replications: positiveInteger(flags.reps as string | undefined, 'reps', 'study'),
    seed,
    workers: positiveInteger(flags.workers as string | undefined, 'workers', 'study'),
    out: flags.out as string | undefined,
    resume: Boolean(flags.resume),
    where: (flags.where as string[] | undefined) ?? [],
    estimators,
    maxErrors: nonNegativeInteger(flags['max-errors'] as string | undefined, 'max-errors', 'study'),
    chunkSize: positiveInteger(flags['chunk-size'] as string | undefined, 'chunk-size', 'study'),
    progress: flags.quiet ? 'none' : undefined,
    shard,
  });
  if (shard) {
    process.stdout.write(`shard ${shardText(shard)}: ${result.ran} replicates run in ${result.seconds.toFixed(2)} s; journal ${displayPath(result.journalPath)}\n`);
    process.stdout.write(`when all ${shard.count} shards are done: npm run study ${study} -- --out ${displayPath(result.outDir)} ${runFlags(argv).join(' ')} --merge\n`.replace(/  +/g, ' '));
    return;
  }
  process.stdout.write(summaryText(result.study, result.summary, replayCommand));
  const rate = result.replicateSeconds > 0 ? `; replicates ${result.replicateSeconds.toFixed(2)} s, ${Math.round(result.ran / result.replicateSeconds)}/s` : '';
  process.stdout.write(`${result.ran} replicates run in ${result.seconds.toFixed(2)} s${rate}\n`);
  process.stdout.write(`wrote ${displayPath(result.summaryCsv!)}, ${displayPath(result.replicatesCsv!)} and ${displayPath(result.reportHtml!)}\n`);
});
