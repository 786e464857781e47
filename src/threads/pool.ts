/**
 * Thread pools whose task functions are TypeScript modules. Each thread loads its module through tsx's
 * CommonJS hook (`--require tsx/cjs`): synchronous and in the thread itself, where Node 20's module
 * loader hooks would run every resolution of every dependency through a separate hooks thread.
 */
import { createRequire } from 'node:module';
import { Piscina } from 'piscina';
import { UserError } from '../errors.ts';

const tsxHook = createRequire(import.meta.url).resolve('tsx/cjs');

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
  /** Threads, started at once. */
  readonly threads: number;
  /** Data every thread gets as `workerData.setup`. */
  readonly setup?: unknown;
  /**
   * A task that does no work, sent once per thread at the start: piscina loads a thread's module only with
   * its first task, and this makes every thread load it (and whatever the module starts at load) at once.
   */
  readonly warmUp?: unknown;
}

/** A piscina pool of `threads` threads, each serving the default export of `module`. */
export function typescriptPool({ module, threads, setup, warmUp }: TypescriptPoolOptions): Piscina {
  const pool = new Piscina({
    filename: module.href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    execArgv: ['--require', tsxHook],
    resourceLimits: { maxYoungGenerationSizeMb: 64 },
    workerData: { setup },
  });
  if (warmUp !== undefined) for (let t = 0; t < threads; t++) pool.run(warmUp).catch(() => undefined);
  return pool;
}
