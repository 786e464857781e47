/**
 * --slurm N: a ready sbatch array script for N shards (each task runs one shard on C cores through the
 * worker pool, resuming its own journal when requeued) and a merge script to run after the array, plus the
 * command that submits both with the dependency.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirectory } from '../directory.ts';
import { UserError } from '../errors.ts';

/** Options of {@link writeSlurmScripts}. */
export interface SlurmOptions {
  /** The study's name (or path), as `npm run study` takes it. */
  readonly study: string;
  /** The repository's folder, where the jobs run `npm run study`. */
  readonly repository: string;
  /** The run's output folder (absolute). */
  readonly outDir: string;
  /** Array tasks (shards). */
  readonly shards: number;
  /** Cores per task (the worker pool's size). Default 1. */
  readonly cpus?: number;
  readonly partition?: string;
  /** Slurm's --time, e.g. `02:00:00`. */
  readonly time?: string;
  /** Slurm's --mem, e.g. `4G`. */
  readonly mem?: string;
  /** Flags every task and the merge pass on (--reps, --seed, --where, --estimators). */
  readonly flags: readonly string[];
}

const quote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function directives(o: SlurmOptions, name: string, log: string, extra: readonly string[]): string[] {
  return [
    `#SBATCH --job-name=${name}`,
    ...extra,
    `#SBATCH --cpus-per-task=${o.cpus ?? 1}`,
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    ...(o.time ? [`#SBATCH --time=${o.time}`] : []),
    ...(o.mem ? [`#SBATCH --mem=${o.mem}`] : []),
    `#SBATCH --output=${log}`,
  ];
}

/** Writes `<out>/slurm/array.sbatch` and `merge.sbatch`; returns their paths and the submit command. */
export function writeSlurmScripts(o: SlurmOptions): { array: string; merge: string; submit: string } {
  if (!Number.isInteger(o.shards) || o.shards < 1) throw new UserError(`--slurm must be a positive integer, not '${o.shards}'`);
  if (o.cpus !== undefined && (!Number.isInteger(o.cpus) || o.cpus < 1)) throw new UserError(`--cpus must be a positive integer, not '${o.cpus}'`);
  const dir = join(o.outDir, 'slurm');
  makeDirectory(dir, '--out');
  const name = `mixsim-${o.study.replace(/[^\w.-]/g, '_')}`;
  const run = (extra: string[]): string => ['npm run -s study', quote(o.study), '--', '--out', quote(o.outDir), ...o.flags.map(quote), ...extra].join(' ');
  const array = join(dir, 'array.sbatch');
  writeFileSync(array, [
    '#!/bin/bash',
    ...directives(o, name, join(dir, 'shard-%a.log'), [`#SBATCH --array=0-${o.shards - 1}`, '#SBATCH --requeue']),
    '# One shard per array task: the shard comes from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT;',
    '# --resume continues a shard that was killed or requeued.',
    'set -euo pipefail',
    `cd ${quote(o.repository)}`,
    `${run(['--workers', String(o.cpus ?? 1), '--resume', '--quiet'])}`,
    '',
  ].join('\n'), { mode: 0o755 });
  const merge = join(dir, 'merge.sbatch');
  writeFileSync(merge, [
    '#!/bin/bash',
    ...directives({ ...o, cpus: 1 }, `${name}-merge`, join(dir, 'merge.log'), []),
    '# Merges the shards into replicates.csv and summary.csv once the array has finished.',
    'set -euo pipefail',
    `cd ${quote(o.repository)}`,
    `${run(['--merge'])}`,
    '',
  ].join('\n'), { mode: 0o755 });
  const submit = `jobid=$(sbatch --parsable ${quote(array)}) && sbatch --dependency=afterok:\${jobid%%;*} ${quote(merge)}`;
  return { array, merge, submit };
}
