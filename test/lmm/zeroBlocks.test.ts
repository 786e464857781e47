import { describe, expect, it } from 'vitest';
import { thetaLayout } from '../../src/lmm/theta.ts';
import { zeroBlocks } from '../../src/lmm/zeroBlocks.ts';

describe('zeroBlocks', () => {
  it('gives a random intercept alone no candidate', () => {
    expect(zeroBlocks(thetaLayout([1]), [0.7])).toEqual([]);
  });

  it('gives one block the zero covariance', () => {
    expect(zeroBlocks(thetaLayout([2]), [0.7, -0.2, 0.3]).map((t) => Array.from(t))).toEqual([[0, 0, 0]]);
  });

  it('gives several blocks the zero covariance and each block at 0 with the others kept', () => {
    // (1 + X | g) + (0 + Z | g): theta = (T_11, T_21, T_22) of the first block, then the second's T_33.
    const out = zeroBlocks(thetaLayout([2, 1]), [0.7, -0.2, 0.3, 1.1]).map((t) => Array.from(t));
    expect(out).toEqual([[0, 0, 0, 0], [0, 0, 0, 1.1], [0.7, -0.2, 0.3, 0]]);
  });
});
