import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureNumeric, parseCsv, readCsv } from '../../src/data/csv.ts';
import { UserError } from '../../src/errors.ts';
import { tempDir } from '../tempDir.ts';

describe('parseCsv', () => {
  it('reads quoted fields, CRLF, missing cells, numeric and text columns', () => {
    const t = parseCsv('y,name,g\r\n1.5,"a, ""quoted""",1\r\nNA,b,2\r\n3,,2\r\n', 'x.csv');
    expect(Array.from(t.data.y as Float64Array)).toEqual([1.5, NaN, 3]);
    expect(t.data.name).toEqual(['a, "quoted"', 'b', null]);
    expect(Array.from(t.data.g as Float64Array)).toEqual([1, 2, 2]);
  });

  it('names the line of a ragged row', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'd.csv')).toThrow("d.csv: line 3 has 1 fields but the header has 2");
  });

  it('rejects an empty file and a header without rows', () => {
    expect(() => parseCsv('', 'e.csv')).toThrow('e.csv: the file is empty');
    expect(() => parseCsv('a,b\n', 'h.csv')).toThrow('h.csv: the file has a header but no rows');
  });

  it('names the cell of a non-numeric value in a numeric column', () => {
    const t = parseCsv('y,x\n1,2\n2,oops\n3,4\n', 'm.csv');
    expect(() => ensureNumeric(t, ['y', 'x'])).toThrow("m.csv: column 'x', line 3: 'oops' is not a number");
  });

  it('names a missing file', () => {
    const dir = tempDir('mixsim-');
    expect(() => readCsv(join(dir, 'nope.csv'))).toThrow(UserError);
    expect(() => readCsv(join(dir, 'nope.csv'))).toThrow(/nope\.csv: no such file/);
    writeFileSync(join(dir, 'ok.csv'), 'a\n1\n');
    expect(Array.from(readCsv(join(dir, 'ok.csv')).data.a as Float64Array)).toEqual([1]);
  });
});
