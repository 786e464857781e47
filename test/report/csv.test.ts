/**
 * danfojs-node loads without mathjs, TensorFlow.js, table and the rest (deferredRequire.ts), writes CSV
 * through a DataFrame, and its statistics, printing and tensors still work: each loads on its first use.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDanfo, writeCsv } from '../../src/report/csv.ts';
import { tempDir } from '../tempDir.ts';

const require = createRequire(import.meta.url);
const filesOf = (folder: string) => (): string[] => Object.keys(require.cache).filter((path) => path.includes(`/node_modules/${folder}/`));
const mathjsFiles = filesOf('mathjs');
const tensorflowFiles = filesOf('@tensorflow');

describe('danfojs-node with deferred dependencies', () => {
  it('writes and appends CSV without loading mathjs, TensorFlow.js or table', async () => {
    const dir = tempDir('mixsim-csv-');
    const path = join(dir, 't.csv');
    await writeCsv(path, { a: [1, 2.5], b: ['x', 'y'], c: [true, false] });
    await writeCsv(path, { a: [-3], b: ['z'], c: [true] }, { append: true });
    expect(readFileSync(path, 'utf8')).toBe('a,b,c\n1,x,true\n2.5,y,false\n-3,z,true\n');
    // Only the stand-in sits in the module cache: none of mathjs's ~900 files was loaded.
    expect(mathjsFiles()).toHaveLength(1);
    expect(tensorflowFiles()).toHaveLength(1);
    expect(filesOf('table')()).toHaveLength(1);
  });

  it('loads mathjs on first use, and its statistics are right', async () => {
    const { Series } = await loadDanfo();
    const s = new Series([1, 2, 3, 4]);
    expect(s.std()).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(s.median()).toBe(2.5);
    expect(mathjsFiles().length).toBeGreaterThan(100);
  });

  it('prints a DataFrame as a table, loading the table package on first use', async () => {
    const { DataFrame } = await loadDanfo();
    const text = new DataFrame({ a: [1, 2.5], b: ['x', 'y'] }).toString();
    expect(text).toContain('2.5');
    expect(text).toContain('║');
    expect(filesOf('table')().length).toBeGreaterThan(5);
  });

  it('loads TensorFlow.js for a DataFrame made from a tensor, which it then reads as one', async () => {
    const { DataFrame, tensorflow } = await loadDanfo();
    expect(tensorflowFiles()).toHaveLength(1);
    const df = new DataFrame(tensorflow.tensor2d([[1, 2], [3, 4.5]]), { columns: ['a', 'b'] });
    expect(tensorflowFiles().some((path) => path.includes('/tfjs-core/'))).toBe(true);
    expect(df.values).toEqual([[1, 2], [3, 4.5]]);
    expect(df.columns).toEqual(['a', 'b']);
  });
});
