/**
 * danfojs-node loads without mathjs, TensorFlow.js, table and the rest (deferredRequire.ts), writes CSV
 * through a DataFrame, and its statistics, printing and tensors still work: each loads on its first use.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../src/data/csv.ts';
import { csvField, loadDanfo, writeCsv } from '../../src/report/csv.ts';
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

  it('quotes a field with a comma, a double quote or a line break, as RFC 4180 does', async () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('first X is 2.158, above 1')).toBe('"first X is 2.158, above 1"');
    expect(csvField('say "no"')).toBe('"say ""no"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const dir = tempDir('mixsim-csv-');
    const path = join(dir, 't.csv');
    const error = ['', 'first X is 2.158, above 1', 'say "no", twice', 'two\r\nlines'];
    await writeCsv(path, { replicate: [0, 1, 2, 3], 'a, b': ['u', 'v', 'w', 'x'], error });
    await writeCsv(path, { replicate: [4], 'a, b': ['y'], error: ['"'] }, { append: true });
    const records = parseCsvRecords(readFileSync(path, 'utf8'), path).map((r) => r.fields);
    expect(records[0]).toEqual(['replicate', 'a, b', 'error']);
    expect(records.slice(1).map((r) => r[2])).toEqual([...error, '"']);
    // And as danfojs itself reads it back (PapaParse).
    const { readCSV } = await loadDanfo();
    const frame = await readCSV(path);
    expect(frame.columns).toEqual(['replicate', 'a, b', 'error']);
    expect(frame.column('error').values.slice(1)).toEqual([...error.slice(1), '"']);
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
