import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mapArray } from '../src/arrays.ts';

describe('mapArray', () => {
  it('maps as Array.prototype.map does: values and indices, in order', () => {
    expect(mapArray(['a', 'bb', 'ccc'], (s, i) => `${i}:${s.length}`)).toEqual(['0:1', '1:2', '2:3']);
    expect(mapArray([], () => 1)).toEqual([]);
  });

  it('gives an array of one V8 kind (holey) before and after V8 optimises its caller', () => {
    // V8's own view of the arrays, through its natives syntax, in a Node process of its own.
    const probe = `
      ${mapArray.toString()}
      const viaHelper = (l) => mapArray(l, (b) => b.length);
      const list = [['a'], ['b', 'c']];
      const kinds = (f) => {
        %PrepareFunctionForOptimization(f);
        const before = %HasHoleyElements(f(list));
        f(list);
        %OptimizeFunctionOnNextCall(f);
        return [before, %HasHoleyElements(f(list))];
      };
      console.log(JSON.stringify(kinds(viaHelper)));`;
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', probe], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    // [holey before, holey after]. (Why the helper exists: in Node 20's V8, `l.map(...)` gives [false, true].)
    expect(JSON.parse(r.stdout)).toEqual([true, true]);
  });
});
