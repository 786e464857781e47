/**
 * Thread pools whose task functions are TypeScript modules. Each thread loads its module through mixsim's
 * CommonJS hook (`--require src/compile/register.cjs`): synchronous and in the thread itself, from one
 * cached bundle of the library.
 */
import { createRequire } from 'node:module';
import type { Piscina } from 'piscina';
import { UserError } from '../errors.ts';

const require = createRequire(import.meta.url);
const typescriptHook = require.resolve('../compile/register.cjs');

/**
 * piscina, loaded by the first pool: a study's workers evaluate the library (their study imports it) but
 * start no pool, and piscina takes 10-20 ms to load.
 */
const piscina = (): typeof import('piscina') => require('piscina') as typeof import('piscina');

/**
 * A thread's UserError arrives as a plain Error (its class does not cross threads): this makes it a
 * UserError again, so that the command prints it as one line.
 */
export function asUserError(error: unknown): unknown {
  return error instanceof Error && error.name === 'UserError' ? new UserError(error.message) : error;
}

/** Options of {@link typescriptPool}. */
export interface TypescriptPoolOptions {
  /** The TypeScript module whose default export runs each task. */
  readonly module: URL;
  /** Threads at most. */
  readonly threads: number;
  /**
   * Threads started at once (default: all of them); the others start only when tasks wait for a thread. A
   * study asked for more workers than it has cores or chunks starts the rest only if it has chunks for them:
   * `--workers 64` on 2 cores started 64 threads for 4 chunks (1.2 GB, 5 s).
   */
  readonly eager?: number;
  /** Data every thread gets as `workerData.setup`. */
  readonly setup?: unknown;
  /**
   * A task that does no work, sent once per thread at the start: piscina loads a thread's module only with
   * its first task, and this makes every thread load it (and whatever the module starts at load) at once.
   */
  readonly warmUp?: unknown;
  /**
   * Whether the thread's event loop runs between tasks, so that asynchronous work its module starts at load
   * (loading libraries) goes on while it waits. Default false: piscina then blocks an idle thread in
   * `Atomics.wait`, which hands it the next task sooner but stops everything else in it.
   */
  readonly background?: boolean;
}

/** A piscina pool of `threads` threads, each serving the default export of `module`. */
export function typescriptPool({ module, threads, eager = threads, setup, warmUp, background = false }: TypescriptPoolOptions): Piscina {
  const pool = new (piscina().Piscina)({
    filename: module.href,
    minThreads: Math.min(eager, threads),
    maxThreads: threads,
    idleTimeout: 60_000,
    execArgv: ['--require', typescriptHook],
    resourceLimits: { maxYoungGenerationSizeMb: 64 },
    workerData: { setup },
    atomics: background ? 'disabled' : 'sync',
  });
  if (warmUp !== undefined) for (let t = 0; t < Math.min(eager, threads); t++) pool.run(warmUp).catch(() => undefined);
  return pool;
}

const codeCaches = new URL('./codeCaches.ts', import.meta.url).href;

/**
 * Closes a pool of {@link typescriptPool}: first each thread saves the code caches of what it compiled while
 * it worked (codeCaches.ts; at most a quarter of a second is given to it, so that a thread still in an
 * interrupted task is not waited for), then the threads stop.
 */
export async function closePool(pool: Piscina): Promise<void> {
  const saves = pool.threads.map(() => pool.run(null, { filename: codeCaches }).catch(() => undefined));
  await Promise.race([Promise.all(saves), new Promise((done) => setTimeout(done, 250).unref())]);
  await pool.destroy();
}
