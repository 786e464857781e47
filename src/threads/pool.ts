/**
 * Thread pools whose task functions are TypeScript modules. Each thread loads its module through tsx's
 * CommonJS hook (`--require tsx/cjs`): synchronous and in the thread itself, where Node 20's module
 * loader hooks would run every resolution of every dependency through a separate hooks thread.
 */
import { createRequire } from 'node:module';
import { Piscina } from 'piscina';

const tsxHook = createRequire(import.meta.url).resolve('tsx/cjs');

/** Options of {@link typescriptPool}. */
export interface TypescriptPoolOptions {
  /** The TypeScript module whose default export runs each task. */
  readonly module: URL;
  /** Threads, started at once. */
  readonly threads: number;
  /** Data every thread gets as `workerData.setup`. */
  readonly setup?: unknown;
}

/** A piscina pool of `threads` threads, each serving the default export of `module`. */
export function typescriptPool({ module, threads, setup }: TypescriptPoolOptions): Piscina {
  return new Piscina({
    filename: module.href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    execArgv: ['--require', tsxHook],
    resourceLimits: { maxYoungGenerationSizeMb: 64 },
    workerData: { setup },
  });
}
