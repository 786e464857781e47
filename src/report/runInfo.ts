/** run.json: what a run's tables do not say of it (design, seed, run time, versions), for the report. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunInfo } from './html.ts';

/** The versions a report records. */
export function versions(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return { mixsim: pkg.version, node: process.version };
}

/** Writes run.json into a results folder. */
export function writeRunInfo(dir: string, info: RunInfo): void {
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify(info, null, 2)}\n`);
}
