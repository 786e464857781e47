/**
 * @stdlib's MT19937 (@stdlib/random-base-mt19937) advanced in bulk, on @stdlib's own state array: its
 * twist, its tempering, its words and 53-bit uniforms, step for step, and integers in bulk. A draw here
 * reads and writes the state index where @stdlib keeps it, so draws made here and by @stdlib's generators
 * on the same array can be mixed freely: they are one stream. (Matsumoto & Nishimura 1998, "Mersenne
 * Twister: a 623-dimensionally equidistributed uniform pseudo-random number generator", ACM TOMACS 8:3.)
 */

/** 2^26 and 2^-53: a uniform from two words. */
const TWO_26 = 67108864;
const TWO_MINUS_53 = 1.1102230246251565e-16;

/**
 * MT19937's twist of the n = 624 state words, in place (m = 397, and the matrix A and masks of
 * Matsumoto & Nishimura). @stdlib's state array (schema version 1, see mt19937State.ts) holds the state
 * words from index 3 and the index of the next word at 628.
 *
 * These numbers are literals in the hot functions here and in ziggurat.ts. The bundle that processes and
 * threads load (src/compile/build.cjs) turns a module's constants into variables set when the module
 * starts, which V8 cannot fold into a loop: with literals the twist took half the time, and a local copy
 * of such a variable (`const n = N`) gained nothing.
 */
export function twist(state: Uint32Array): void {
  const n = 624;
  const m = 397;
  const matrixA = 0x9908b0df;
  const upper = 0x80000000;
  const lower = 0x7fffffff;
  const at = 3;
  let i = 0;
  for (; i < n - m; i++) {
    const y = (state[at + i] & upper) | (state[at + i + 1] & lower);
    state[at + i] = state[at + i + m] ^ (y >>> 1) ^ (-(y & 1) & matrixA);
  }
  for (; i < n - 1; i++) {
    const y = (state[at + i] & upper) | (state[at + i + 1] & lower);
    state[at + i] = state[at + i + m - n] ^ (y >>> 1) ^ (-(y & 1) & matrixA);
  }
  const y = (state[at + n - 1] & upper) | (state[at] & lower);
  state[at + n - 1] = state[at + m - 1] ^ (y >>> 1) ^ (-(y & 1) & matrixA);
}

/** MT19937's tempering of a state word. */
export function temper(word: number): number {
  let r = word;
  r ^= r >>> 11;
  r ^= (r << 7) & 0x9d2c5680;
  r ^= (r << 15) & 0xefc60000;
  r ^= r >>> 18;
  return r >>> 0;
}

/** The next word of the generator, as @stdlib's MT19937 draws it: the index in the state array, a twist after 624. */
export function word(state: Uint32Array): number {
  const size = 624;
  const at = 3;
  const index = 628;
  let k = state[index];
  if (k >= size) {
    twist(state);
    k = 0;
  }
  state[index] = k + 1;
  return temper(state[at + k]);
}

/** A uniform on [0, 1) with 53 random bits, as @stdlib's `normalized` draws it. */
export function uniform(state: Uint32Array): number {
  return ((word(state) >>> 5) * TWO_26 + (word(state) >>> 6)) * TWO_MINUS_53;
}

/**
 * Fills `out` with integers uniform on [0, n): each is one word w, redrawn while w is at or above the
 * largest multiple of n below 2^32, then w mod n, exactly as {@link RandomStream.integer} draws them.
 * `n` must be an integer from 1 to 2^32 (the stream checks it). The state's index is kept in `k` up to the
 * next twist, as {@link word} would advance it (5000 integers took 24 us instead of 29 word by word).
 */
export function fillIntegers(state: Uint32Array, n: number, out: Float64Array): void {
  const size = 624;
  const at = 3;
  const index = 628;
  const limit = n * Math.floor(4294967296 / n);
  const length = out.length;
  let j = 0;
  while (j < length) {
    let k = state[index];
    if (k >= size) { twist(state); k = 0; }
    while (j < length && k < size) {
      const w = temper(state[at + k]);
      k++;
      if (w >= limit) continue;
      out[j++] = w - n * Math.floor(w / n);
    }
    state[index] = k;
  }
}
