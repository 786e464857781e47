/** A study's result tables as danfojs DataFrames. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { loadDanfo } from './csv.ts';

/** replicates.csv and summary.csv of a results folder, as danfojs DataFrames. */
export interface StudyResults {
  readonly replicates: import('danfojs-node').DataFrame;
  readonly summary: import('danfojs-node').DataFrame;
}

/** Reads a results folder (`results/<name>/`) into danfojs DataFrames. */
export async function readResults(dir: string): Promise<StudyResults> {
  const { readCSV } = await loadDanfo();
  const read = async (name: string): Promise<import('danfojs-node').DataFrame> => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new UserError(`${path}: no such file (run the study first)`);
    return (await readCSV(path)) as import('danfojs-node').DataFrame;
  };
  return { replicates: await read('replicates.csv'), summary: await read('summary.csv') };
}
