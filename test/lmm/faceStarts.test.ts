import { describe, expect, it } from 'vitest';
import { faceStarts } from '../../src/lmm/faceStarts.ts';
import { thetaLayout } from '../../src/lmm/theta.ts';

const starts = (blocks: number[], theta: number[]): number[][] => faceStarts(thetaLayout(blocks), theta, 1e-3).map((t) => Array.from(t));

describe('faceStarts', () => {
  it('starts (X || g) on the face without the variance its optimum kept', () => {
    expect(starts([1, 1], [20.46, 0])).toEqual([[0, 1]]);
    expect(starts([1, 1], [0, 0.43])).toEqual([[1, 0]]);
  });

  it('starts an optimum inside on each face of a diagonal', () => {
    // (1 + X | g): theta = (T_11, T_21, T_22).
    expect(starts([2], [0.9, -0.4, 0.2])).toEqual([[0, 0, 1], [1, 0, 0]]);
    // (1 + X | g) + (0 + Z | g): theta = (T_11, T_21, T_22, T_33).
    expect(starts([2, 1], [0.9, -0.4, 0.2, 1.1])).toEqual([[0, 0, 1, 1], [1, 0, 0, 1], [1, 0, 1, 0]]);
  });

  it('counts a diagonal closer to its bound than onBound as on it', () => {
    expect(starts([2], [0.9, -0.4, 5e-4])).toEqual([[0, 0, 1]]);
    expect(starts([2], [0.9, -0.4, 2e-3])).toEqual([[0, 0, 1], [1, 0, 0]]);
  });

  it('gives none at theta = 0, or to a random intercept alone', () => {
    expect(starts([2, 1], [0, 0, 0, 0])).toEqual([]);
    expect(starts([1], [0.7])).toEqual([]);
    expect(starts([1], [0])).toEqual([]);
  });
});
