/**
 * Shards: a fixed split of a run's condition x replicate space. The pairs are numbered condition by
 * condition (conditions in grid order, replicates in order within each); shard I of N (0 <= I < N) takes the
 * pairs numbered floor(I T / N) to floor((I + 1) T / N) - 1, where T = conditions x replications. Every
 * shard is a contiguous block, so its journal holds whole replicate ranges.
 */
import { UserError } from '../errors.ts';

/** Shard `index` of `count`, 0-based. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `I/N` as a shard; the message names the flag. */
export function parseShard(text: string, flag = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UserError(`${flag} '${text}' is not of the form I/N (shard I of N, 0 <= I < N)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new UserError(`${flag} '${text}': N must be at least 1`);
  if (index >= count) throw new UserError(`${flag} '${text}': I must be from 0 to ${count - 1}`);
  return { index, count };
}

/** The shard a scheduler's environment gives: Slurm array tasks or Kubernetes Indexed Jobs; else undefined. */
export function shardFromEnvironment(env: NodeJS.ProcessEnv = process.env): Shard | undefined {
  const slurm = env.SLURM_ARRAY_TASK_ID;
  if (slurm !== undefined && slurm !== '') {
    const min = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
    const count = env.SLURM_ARRAY_TASK_COUNT !== undefined
      ? Number(env.SLURM_ARRAY_TASK_COUNT)
      : Number(env.SLURM_ARRAY_TASK_MAX) - min + 1;
    return parseShard(`${Number(slurm) - min}/${count}`, 'SLURM_ARRAY_TASK_ID');
  }
  const k8s = env.JOB_COMPLETION_INDEX;
  if (k8s !== undefined && k8s !== '') {
    if (!env.JOB_COMPLETIONS) throw new UserError('JOB_COMPLETION_INDEX is set but JOB_COMPLETIONS (the Job\'s completions) is not: set it in the Job\'s env');
    return parseShard(`${k8s}/${env.JOB_COMPLETIONS}`, 'JOB_COMPLETION_INDEX');
  }
  return undefined;
}

/** The text of a shard, `I/N`. */
export const shardText = (shard: Shard): string => `${shard.index}/${shard.count}`;

/** The replicates [from, to) of each condition that a shard holds. */
export function shardRanges(shard: Shard, conditions: readonly number[], replications: number): Map<number, [number, number]> {
  const total = conditions.length * replications;
  const first = Math.floor((shard.index * total) / shard.count);
  const last = Math.floor(((shard.index + 1) * total) / shard.count);
  const out = new Map<number, [number, number]>();
  conditions.forEach((condition, k) => {
    const from = Math.max(first - k * replications, 0);
    const to = Math.min(last - k * replications, replications);
    if (from < to) out.set(condition, [from, to]);
  });
  return out;
}

/** Marks, per condition, the replicates outside a shard as done, so planning runs only the shard's own. */
export function outsideShard(shard: Shard, conditions: readonly number[], replications: number): Map<number, Uint8Array> {
  const ranges = shardRanges(shard, conditions, replications);
  const marks = new Map<number, Uint8Array>();
  for (const condition of conditions) {
    const m = new Uint8Array(replications).fill(1);
    const range = ranges.get(condition);
    if (range) m.fill(0, range[0], range[1]);
    marks.set(condition, m);
  }
  return marks;
}
