/**
 * What the optimiser (optimize.ts) is told about a criterion over theta, wherever lme4's criterion is
 * minimised (fitLmm, and the ML fits of a profile): the other factors of a singular covariance, from which
 * it moves off the bounds (refactorSingular.ts), the covariances with whole terms at 0 it compares with
 * its optimum (zeroBlocks.ts), and the starts on other faces of the bounds it descends from again
 * (faceStarts.ts).
 */
import type { MinimizeOptions } from './optimize.ts';
import { faceStarts } from './faceStarts.ts';
import { singularAlternatives } from './refactorSingular.ts';
import type { ThetaLayout } from './theta.ts';
import { zeroBlocks } from './zeroBlocks.ts';

/** The optimiser's options for a criterion over `layout`'s theta (see the file's comment). */
export function thetaSearch(layout: ThetaLayout): MinimizeOptions {
  return {
    alternatives: singularAlternatives(layout),
    candidates: (theta) => zeroBlocks(layout, theta),
    restarts: (theta, onBound) => faceStarts(layout, theta, onBound),
  };
}
