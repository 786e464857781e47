/**
 * A seeded random stream on @stdlib's MT19937. Two @stdlib generators share one MT19937 state array
 * (@stdlib's documented `copy: false`): the MT19937 itself, for 32-bit words, uniforms and integers, and
 * @stdlib's improved ziggurat, for normals. Every draw, whichever kind, advances the one generator, so a
 * replicate's data are a function of its seed alone. Never Math.random.
 *
 * What one draw costs: a uniform is one 53-bit double (two words); an integer in [0, n) is one word, by
 * rejection (unbiased); a normal is the ziggurat's uniform and index (three words, more in the rare tail).
 * Normals and integers in bulk (`standardNormals`, `integers`) are the same draws, made by
 * src/rng/ziggurat.ts and src/rng/mt19937.ts on the same state.
 */
import mt19937 from '@stdlib/random-base-mt19937';
import improvedZiggurat from '@stdlib/random-base-improved-ziggurat';
import { UserError } from '../errors.ts';
import { mt19937State } from './mt19937State.ts';
import { fillIntegers } from './mt19937.ts';
import { fillStandardNormal } from './ziggurat.ts';
import { replicateSeed, type ReplicateKey } from './seed.ts';

/**
 * The version of how a stream turns its seed into draws. A journal records it, and `--resume` and
 * `--merge` refuse a journal written under another: its replicates were drawn from other data.
 * 1: integers were floor(n × uniform) (two words); 2: one word by rejection, normals from the ziggurat itself.
 */
export const STREAM_VERSION = 'mt19937/2';

/** The random numbers a data generator may draw. */
export interface RandomStream {
  /** Uniform on [0, 1), with 53 random bits. */
  uniform(): number;
  /** Normal with the given mean (default 0) and standard deviation (default 1). */
  normal(mean?: number, sd?: number): number;
  /** Standard normal (the fastest single draw, for loops). */
  standardNormal(): number;
  /**
   * Fills `out` with standard normals and returns it: exactly the draws of `out.length` calls of
   * {@link RandomStream.standardNormal}, in order, made in bulk (about twice as fast).
   */
  standardNormals(out: Float64Array): Float64Array;
  /** Uniform integer in [0, n), for an integer n from 1 to 2^32; exactly uniform (no modulo bias). */
  integer(n: number): number;
  /**
   * Fills `out` with uniform integers in [0, n) and returns it: exactly the draws of `out.length` calls
   * of {@link RandomStream.integer}, in order, made in bulk.
   */
  integers(n: number, out: Float64Array): Float64Array;
  /** The MT19937 seed words this stream started from. */
  readonly seed: Uint32Array;
}

/** A 32-bit MT19937 generator as @stdlib makes it, with its 53-bit uniform. */
type Words = (() => number) & { normalized: () => number; state: Uint32Array };

const TWO_32 = 4294967296;

/** Refuses a bound that is not an integer from 1 to 2^32, naming the call. */
function checkBound(n: number, call: string): void {
  if (!(n >= 1 && n <= TWO_32 && Number.isInteger(n))) throw new UserError(`${call}: n must be an integer from 1 to 2^32, not ${n}`);
}

/**
 * A uniform integer in [0, n) from 32-bit words: words at or above the largest multiple of n are redrawn,
 * and the remainder of the rest is exactly uniform. (Division and floor, not `%`: V8's `%` of numbers
 * beyond int32 calls C's fmod, which made a draw about three times slower and a seed-study dataset take
 * 0.40 ms instead of 0.325. All of it is exact: every value stays below 2^53.)
 */
function boundedInteger(word: () => number): (n: number) => number {
  return (n) => {
    checkBound(n, 'rng.integer(n)');
    const limit = n * Math.floor(TWO_32 / n);
    let w = word();
    while (w >= limit) w = word();
    return w - n * Math.floor(w / n);
  };
}

/**
 * The two generators on one state array, the stream that draws from them, and `setState`, which reseeds
 * all three: both generators set `state` as their documented setter does, and the bulk normals follow.
 */
function sharedStream(state: Uint32Array, seed: Uint32Array) {
  const words = mt19937.factory({ state, copy: false }) as unknown as Words;
  const standardNormal = improvedZiggurat.factory({ state, copy: false });
  let shared = state;
  const stream: { -readonly [K in keyof RandomStream]: RandomStream[K] } = {
    uniform: words.normalized,
    normal: (mean = 0, sd = 1) => mean + sd * standardNormal(),
    standardNormal,
    standardNormals: (out) => {
      fillStandardNormal(shared, out);
      return out;
    },
    integer: boundedInteger(words),
    integers: (n, out) => {
      checkBound(n, 'rng.integers(n, out)');
      fillIntegers(shared, n, out);
      return out;
    },
    seed,
  };
  const setState = (next: Uint32Array) => {
    // Same length: both generators copy it into the array they share. Another length: both adopt it.
    words.state = next;
    standardNormal.state = next;
    if (next.length !== shared.length) shared = next;
  };
  return { stream, setState };
}

/** A stream seeded by an integer or by MT19937 seed words (an integer seed is one word). */
export function createStream(seed: number | Uint32Array): RandomStream {
  const words = typeof seed === 'number' ? Uint32Array.of(seed >>> 0) : seed;
  return sharedStream(mt19937State(words), words).stream;
}

/** The stream of one replicate of a study. */
export function replicateStream(key: ReplicateKey): RandomStream {
  return createStream(replicateSeed(key));
}

/**
 * One stream reseeded for each replicate, for a worker's replicate loop: it draws exactly what
 * {@link createStream} would from the same seed, but its generators are the thread's only ones. V8 optimises
 * a generator's functions for the generators it has seen, and more of them (a fresh stream per replicate)
 * slow every draw: 15,000 normals took 0.35 ms with one generator and 0.55 ms once a second one drew.
 * Reseeding writes the seed's state (built by {@link mt19937State}) into the shared array. The stream it
 * returns is valid until the next `reseed`.
 *
 * `deferred(seed)` is a stream reseeded on its first draw, with the same draws: an estimator's, which most
 * estimators never draw from (a reseed costs about 12 µs). It too is valid until the next reseed.
 */
export function reseedableStream(): { reseed(seed: Uint32Array): RandomStream; deferred(seed: Uint32Array): RandomStream } {
  const { stream, setState } = sharedStream(mt19937State(Uint32Array.of(1)), Uint32Array.of(1));
  const reseed = (seed: Uint32Array): RandomStream => {
    setState(mt19937State(seed));
    stream.seed = seed;
    return stream;
  };
  const deferred = (seed: Uint32Array): RandomStream => {
    let seeded = false;
    const live = (): RandomStream => {
      if (!seeded) { reseed(seed); seeded = true; }
      return stream;
    };
    return {
      uniform: () => live().uniform(),
      normal: (mean, sd) => live().normal(mean, sd),
      standardNormal: () => live().standardNormal(),
      standardNormals: (out) => live().standardNormals(out),
      integer: (n) => live().integer(n),
      integers: (n, out) => live().integers(n, out),
      seed,
    };
  };
  return { reseed, deferred };
}
