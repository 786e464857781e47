/**
 * A seeded random stream on @stdlib's MT19937: uniforms, normals (@stdlib's improved ziggurat) and
 * integers all draw from the one generator, so a replicate's data are a function of its seed alone.
 * Never Math.random.
 */
import mt19937 from '@stdlib/random-base-mt19937';
import normalFactory from '@stdlib/random-base-normal';
import { replicateSeed, type ReplicateKey } from './seed.ts';

/** The random numbers a data generator may draw. */
export interface RandomStream {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Normal with the given mean (default 0) and standard deviation (default 1). */
  normal(mean?: number, sd?: number): number;
  /** Standard normal (the fastest draw, for loops). */
  standardNormal(): number;
  /** Uniform integer in [0, n). */
  integer(n: number): number;
  /** The MT19937 seed words this stream started from. */
  readonly seed: Uint32Array;
}

/** A stream seeded by an integer or MT19937 seed words. */
export function createStream(seed: number | Uint32Array): RandomStream {
  const words = typeof seed === 'number' ? Uint32Array.of(seed >>> 0) : seed;
  // @stdlib's declaration of factory() omits the `normalized` method that every MT19937 generator has.
  const generator = mt19937.factory({ seed: words }) as ReturnType<typeof mt19937.factory> & { normalized: () => number };
  const uniform = generator.normalized;
  const standardNormal = normalFactory.factory(0, 1, { prng: uniform });
  return {
    uniform,
    normal: (mean = 0, sd = 1) => mean + sd * standardNormal(),
    standardNormal,
    integer: (n) => Math.floor(uniform() * n),
    seed: words,
  };
}

/** The stream of one replicate of a study. */
export function replicateStream(key: ReplicateKey): RandomStream {
  return createStream(replicateSeed(key));
}
