/**
 * The worker entry of the pool (piscina): loads the study module once, then runs chunks of replicates and
 * returns compact rows. Glue only: the statistics live in the study, the fitter and runReplicate.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';
import type { ChunkResult, ChunkTask, CompactRow, WorkerSetup } from './messages.ts';
import { runReplicate } from './replicate.ts';
import { conditions } from './design.ts';
import { importStudy } from './load.ts';

const setup = (workerData as { setup: WorkerSetup }).setup;

/** The study, imported as soon as the thread starts (a failure surfaces with the first task). */
const requireHere = createRequire(import.meta.url);
const prepared = importStudy(setup.studyUrl, (url) => requireHere(fileURLToPath(url))).then((study) => ({
  study,
  grid: conditions(study.design),
  run: { seed: setup.seed ?? study.seed, estimators: setup.estimators ?? Object.keys(study.estimators) },
}));
prepared.catch(() => undefined);

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Runs one chunk of replicates. */
export default async function runChunk(task: ChunkTask): Promise<ChunkResult> {
  const { study, grid, run } = await prepared;
  const condition = grid[task.condition];
  const rows: CompactRow[] = [];
  let errors = 0;
  for (let replicate = task.from; replicate < task.to; replicate++) {
    const results = runReplicate(study, condition, replicate, run);
    results.forEach(({ rows: estimates }, e) => {
      for (const r of estimates) {
        if (r.error) errors++;
        rows.push([replicate, e, r.parameter, finite(r.estimate), finite(r.se), finite(r.ciLower), finite(r.ciUpper),
          r.ciMethod, (r.converged ? 1 : 0) | (r.singular ? 2 : 0), r.error]);
      }
    });
  }
  return { ...task, rows, errors };
}
