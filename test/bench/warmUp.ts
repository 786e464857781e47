/**
 * How a study's worker warms up: the seed condition's replicates 0 to 2499 (the `ri` estimator) in one
 * thread from a cold start, timed in blocks of 250. Run by the study benchmark in a Node process of its own
 * with the study command's Node flags; prints the blocks' milliseconds per replicate as JSON.
 */
import study from '../../studies/mixedlm.ts';
import { conditions } from '../../src/study/design.ts';
import { runReplicate } from '../../src/study/replicate.ts';

/** Replicates per block, and blocks. */
export const BLOCK = 250;
export const BLOCKS = 10;

/** Milliseconds per replicate of each block of {@link BLOCK} replicates, from a cold start. */
export function warmUpCurve(): number[] {
  const condition = conditions(study.design).find((c) => c.values.n_groups === 5 && c.values.slope_sd === 0.25)!;
  const run = { seed: study.seed, estimators: ['ri'] };
  const blocks: number[] = [];
  let replicate = 0;
  for (let b = 0; b < BLOCKS; b++) {
    const start = performance.now();
    for (let k = 0; k < BLOCK; k++) runReplicate(study, condition, replicate++, run);
    blocks.push((performance.now() - start) / BLOCK);
  }
  return blocks;
}

if (process.env.MIXSIM_BENCH_WARM_UP) process.stdout.write(`${JSON.stringify(warmUpCurve())}\n`);
