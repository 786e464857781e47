/**
 * Seeds of replicates. Every replicate's random stream is a pure function of (study seed, condition index,
 * replicate index), so results do not depend on workers, chunks, shards or resumes, and any replicate can be
 * replayed alone.
 *
 * The hash: with fmix32 the finaliser of MurmurHash3, and golden = 0x9E3779B9,
 *   h0 = fmix32(seed ^ golden), h1 = fmix32(h0 ^ fmix32(condition + golden)),
 *   h2 = fmix32(h1 ^ fmix32(replicate + 2 golden)), h3 = fmix32(h2 + golden);
 * the words [h0, h1, h2, h3] seed @stdlib's normal generator, whose MT19937 takes them by init_by_array.
 *
 * An estimator's own stream (its third argument, for a bootstrap or a permutation test) adds a fifth word
 * from its name, h4 = fmix32(h3 ^ FNV-1a(name's UTF-8 bytes)): a pure function of (study seed, condition,
 * replicate, estimator), so it does not depend on which other estimators run, nor on their order.
 */
import { UserError } from '../errors.ts';

const GOLDEN = 0x9e3779b9;

/** MurmurHash3's 32-bit finaliser: a bijection of uint32 that mixes every bit into every other. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Where a replicate sits in a study: enough to recreate its random stream. */
export interface ReplicateKey {
  /** The study seed, an integer in [0, 2^32). */
  readonly seed: number;
  /** The condition's index in the design (0-based). */
  readonly condition: number;
  /** The replicate's index within the condition (0-based). */
  readonly replicate: number;
}

/** Checks that a study seed is an integer in [0, 2^32); the message names `what`. */
export function checkSeed(seed: number, what = 'seed'): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new UserError(`${what} must be an integer from 0 to 4294967295, not ${seed}`);
  }
  return seed;
}

/** The MT19937 seed words of a replicate (see the file's comment). */
export function replicateSeed({ seed, condition, replicate }: ReplicateKey): Uint32Array {
  const h0 = fmix32(checkSeed(seed) ^ GOLDEN);
  const h1 = fmix32(h0 ^ fmix32((condition + GOLDEN) >>> 0));
  const h2 = fmix32(h1 ^ fmix32((replicate + 2 * GOLDEN) >>> 0));
  const h3 = fmix32((h2 + GOLDEN) >>> 0);
  return Uint32Array.of(h0, h1, h2, h3);
}

/** FNV-1a (32-bit) of a text's UTF-8 bytes. */
function textHash(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}

/** textHash of each estimator name met: encoding a name took 1.5 µs, for every estimator of every replicate. */
const nameHashes = new Map<string, number>();

/** The MT19937 seed words of an estimator's own stream in a replicate (see the file's comment). */
export function estimatorSeed(key: ReplicateKey, estimator: string): Uint32Array {
  const [h0, h1, h2, h3] = replicateSeed(key);
  let name = nameHashes.get(estimator);
  if (name === undefined) nameHashes.set(estimator, (name = textHash(estimator)));
  return Uint32Array.of(h0, h1, h2, h3, fmix32((h3 ^ name) >>> 0));
}
