/**
 * The state array that @stdlib's MT19937 (@stdlib/random-base-mt19937) builds from a seed, built without
 * building a generator. Setting it as a generator's `state` reseeds that generator: the draws that follow
 * are those of a new generator made with this seed.
 *
 * Why: V8 compiles a generator's functions for the one generator it has seen; a second generator (made only
 * to read its state) makes every draw of the first about 1.5 times slower.
 *
 * The seeding is MT19937's own (Matsumoto & Nishimura's mt19937ar.c): `init_genrand` for one seed word,
 * `init_by_array` for several. The layout is @stdlib's (schema version 1):
 *   | version 1 | 3 sections | N | state (N words) | 1 | state index | seed length | seed words |
 * with the index at N, so that the first draw twists the state.
 */

const N = 624;
const VERSION = 1;
const SECTIONS = 3;
const STATE_OFFSET = 2;
const OTHER_OFFSET = N + 3;
const SEED_OFFSET = N + 5;
const FIXED_LENGTH = N + 6;

/** `init_genrand`: fills `mt` from one 32-bit seed. */
function initGenrand(mt: Uint32Array, seed: number): void {
  mt[0] = seed >>> 0;
  for (let i = 1; i < N; i++) {
    const s = mt[i - 1] ^ (mt[i - 1] >>> 30);
    mt[i] = (Math.imul(s, 1812433253) >>> 0) + i;
  }
}

/** `init_by_array`: fills `mt` from several 32-bit seed words. */
function initByArray(mt: Uint32Array, key: Uint32Array): void {
  initGenrand(mt, 19650218);
  let i = 1;
  let j = 0;
  for (let k = Math.max(N, key.length); k > 0; k--) {
    const s = mt[i - 1] ^ (mt[i - 1] >>> 30);
    mt[i] = ((mt[i] ^ Math.imul(s, 1664525)) >>> 0) + key[j] + j;
    i++;
    j++;
    if (i >= N) { mt[0] = mt[N - 1]; i = 1; }
    if (j >= key.length) j = 0;
  }
  for (let k = N - 1; k > 0; k--) {
    const s = mt[i - 1] ^ (mt[i - 1] >>> 30);
    mt[i] = ((mt[i] ^ Math.imul(s, 1566083941)) >>> 0) - i;
    i++;
    if (i >= N) { mt[0] = mt[N - 1]; i = 1; }
  }
  mt[0] = 0x80000000;
}

/** @stdlib's MT19937 state array for seed words (one word: an integer seed). */
export function mt19937State(seed: Uint32Array): Uint32Array {
  const state = new Uint32Array(FIXED_LENGTH + seed.length);
  state[0] = VERSION;
  state[1] = SECTIONS;
  state[STATE_OFFSET] = N;
  state[OTHER_OFFSET] = 1;
  state[OTHER_OFFSET + 1] = N;
  state[SEED_OFFSET] = seed.length;
  state.set(seed, SEED_OFFSET + 1);
  const mt = state.subarray(STATE_OFFSET + 1, STATE_OFFSET + 1 + N);
  if (seed.length === 1) initGenrand(mt, seed[0]);
  else initByArray(mt, seed);
  return state;
}
