/**
 * danfojs-node loads without mathjs (deferredRequire.ts), writes CSV through a DataFrame, and its
 * statistics, which need mathjs, still give the right numbers: mathjs loads on their first use.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDanfo, writeCsv } from '../../src/report/csv.ts';

const require = createRequire(import.meta.url);
const mathjsFiles = (): string[] => Object.keys(require.cache).filter((path) => path.includes('/node_modules/mathjs/'));

describe('danfojs-node with deferred dependencies', () => {
  it('writes and appends CSV without loading mathjs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mixsim-csv-'));
    const path = join(dir, 't.csv');
    await writeCsv(path, { a: [1, 2.5], b: ['x', 'y'], c: [true, false] });
    await writeCsv(path, { a: [-3], b: ['z'], c: [true] }, { append: true });
    expect(readFileSync(path, 'utf8')).toBe('a,b,c\n1,x,true\n2.5,y,false\n-3,z,true\n');
    // Only the stand-in sits in the module cache: none of mathjs's ~900 files was loaded.
    expect(mathjsFiles()).toHaveLength(1);
  });

  it('loads mathjs on first use, and its statistics are right', async () => {
    const { Series } = await loadDanfo();
    const s = new Series([1, 2, 3, 4]);
    expect(s.std()).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(s.median()).toBe(2.5);
    expect(mathjsFiles().length).toBeGreaterThan(100);
  });
});
