import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { shareChunks } from '../../src/study/chunkQueue.ts';
import type { ChunkResult, ChunkTask, WorkerSetup } from '../../src/study/messages.ts';
import { closePool, typescriptPool } from '../../src/threads/pool.ts';
import { root } from '../cli/run.ts';

const setup: WorkerSetup = { studyUrl: pathToFileURL(join(root, 'test', 'fixtures', 'studies', 'tiny.ts')).href, seed: null, estimators: ['mean'] };
// Each replicate of the fixture waits 20 ms (the threads copy the environment as they start), so that a
// stopped queue surely has chunks left.
process.env.MIXSIM_TEST_PAUSE_MS = '20';
const pool = typescriptPool({ module: new URL('../../src/study/worker.ts', import.meta.url), threads: 3, setup });
delete process.env.MIXSIM_TEST_PAUSE_MS;
afterAll(() => closePool(pool));

/** Chunks of one replicate each: replicates 0..23 of conditions 0 and 1. */
const chunks: ChunkTask[] = [0, 1].flatMap((condition) => Array.from({ length: 24 }, (_, r) => ({ condition, from: r, to: r + 1 })));
const key = (c: ChunkTask): string => `${c.condition}:${c.from}-${c.to}`;

describe('shareChunks', () => {
  it('hands each chunk to exactly one of three workers, and every result on before it settles', async () => {
    const results: ChunkResult[] = [];
    const queue = shareChunks({ pool, chunks, workers: 3, onResult: (r) => results.push(r), signal: new AbortController().signal });
    await queue.finished;
    expect(results.map(key).sort()).toEqual(chunks.map(key).sort());
    // One row per replicate (the mean estimator's one parameter), numbered as its chunk.
    for (const r of results) expect(r.rows.map((row) => [row[0], row[2]])).toEqual([[r.from, 'mean_response']]);
  });

  it('claims no chunk once stopped, and hands on the chunks that were running', async () => {
    const results: ChunkResult[] = [];
    const queue = shareChunks({
      pool, chunks, workers: 3, signal: new AbortController().signal,
      onResult: (r) => { results.push(r); queue.stop(); },
    });
    await queue.finished;
    // The first result (after 20 ms) stops the queue; each worker finishes the chunk it had claimed by
    // then, and its result is handed on: at most two rounds of three.
    expect(results.length).toBeGreaterThanOrEqual(1);
    expect(results.length).toBeLessThanOrEqual(6);
    expect(new Set(results.map(key)).size).toBe(results.length);
  });

  it('fails with the first error onResult throws, and hands on no later result', async () => {
    let calls = 0;
    const queue = shareChunks({ pool, chunks, workers: 3, signal: new AbortController().signal, onResult: () => { calls++; throw new Error('disk full'); } });
    await expect(queue.finished).rejects.toThrow('disk full');
    expect(calls).toBe(1);
  });
});
