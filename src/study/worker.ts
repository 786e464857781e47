/**
 * The worker entry of the pool (piscina): loads the study module once, then runs chunks of replicates and
 * returns compact rows. Glue only: the statistics live in the study, the fitter and runReplicate.
 */
import { workerData } from 'node:worker_threads';
import type { Study } from './define.ts';
import type { ChunkResult, ChunkTask, CompactRow, WorkerSetup } from './messages.ts';
import { runReplicate } from './replicate.ts';
import { conditions } from './design.ts';
import { importStudy } from './load.ts';

const setup = workerData as WorkerSetup;
let loaded: Promise<{ study: Study; grid: ReturnType<typeof conditions> }> | undefined;

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Runs one chunk of replicates. */
export default async function runChunk(task: ChunkTask): Promise<ChunkResult> {
  loaded ??= importStudy(setup.studyUrl).then((study) => ({ study, grid: conditions(study.design) }));
  const { study, grid } = await loaded;
  const condition = grid[task.condition];
  const rows: CompactRow[] = [];
  let errors = 0;
  for (let replicate = task.from; replicate < task.to; replicate++) {
    const results = runReplicate(study, condition, replicate, setup);
    results.forEach(({ rows: estimates }, e) => {
      for (const r of estimates) {
        if (r.error) errors++;
        rows.push([replicate, e, r.parameter, finite(r.estimate), finite(r.se), finite(r.ciLower), finite(r.ciUpper),
          (r.converged ? 1 : 0) | (r.singular ? 2 : 0), r.error]);
      }
    });
  }
  return { ...task, rows, errors };
}
