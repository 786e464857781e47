/**
 * A stream is one @stdlib MT19937: its uniforms are @stdlib's 53-bit doubles, its normals @stdlib's
 * improved ziggurat, its integers one 32-bit word each by rejection, and every kind of draw advances the
 * same generator. Checked against @stdlib's own generators built from the same seed, not against ourselves.
 */
import improvedZiggurat from '@stdlib/random-base-improved-ziggurat';
import mt19937 from '@stdlib/random-base-mt19937';
import normalFactory from '@stdlib/random-base-normal';
import { describe, expect, it } from 'vitest';
import { createStream, reseedableStream } from '../../src/rng/stream.ts';

type Words = (() => number) & { normalized: () => number; state: Uint32Array };
const seed = Uint32Array.of(0x9e3779b9, 7, 11, 13);

/** The word an unbiased integer in [0, n) is made of, and the integer, written the plain way (`%`). */
function integerFromWords(words: () => number, n: number): number {
  const limit = 2 ** 32 - (2 ** 32 % n);
  for (;;) {
    const w = words();
    if (w < limit) return w % n;
  }
}

describe('createStream', () => {
  it("draws @stdlib's normals, uniforms and words from the seed", () => {
    const normals = normalFactory.factory(0, 1, { seed });
    const stream = createStream(seed);
    for (let i = 0; i < 5000; i++) expect(stream.standardNormal()).toBe(normals());
    const uniforms = (mt19937.factory({ seed }) as unknown as Words).normalized;
    const again = createStream(seed);
    for (let i = 0; i < 5000; i++) expect(again.uniform()).toBe(uniforms());
  });

  it('makes integers from one 32-bit word each, redrawing words above the largest multiple of n', () => {
    for (const n of [1, 2, 5, 7, 50, 1000, 2 ** 31 + 1, 3 * 2 ** 30, 2 ** 32 - 1, 2 ** 32]) {
      const words = mt19937.factory({ seed });
      const stream = createStream(seed);
      for (let i = 0; i < 2000; i++) expect(stream.integer(n)).toBe(integerFromWords(words, n));
    }
    // 3 x 2^30 rejects a quarter of the words: the stream redraws exactly those.
    const words = mt19937.factory({ seed });
    let rejected = 0;
    for (let i = 0; i < 4000; i++) if (words() >= 3 * 2 ** 30) rejected++;
    expect(rejected / 4000).toBeGreaterThan(0.2);
    expect(rejected / 4000).toBeLessThan(0.3);
  });

  it('is one generator: normals, uniforms and integers interleaved advance the same MT19937', () => {
    const stream = createStream(seed);
    const normals = improvedZiggurat.factory({ seed });
    for (let i = 0; i < 10; i++) expect(stream.standardNormal()).toBe(normals());
    // After ten normals, the next words and uniforms are those of @stdlib's generator in the ziggurat's state.
    const words = mt19937.factory({ state: normals.state as Uint32Array }) as unknown as Words;
    expect(stream.integer(2 ** 32)).toBe(words());
    expect(stream.uniform()).toBe(words.normalized());
    const rest = improvedZiggurat.factory({ state: words.state });
    for (let i = 0; i < 10; i++) expect(stream.standardNormal()).toBe(rest());
  });

  it('makes integers in bulk that are the words of as many integer(n) calls, across the twist after 624 words', () => {
    for (const n of [1, 5, 50, 3 * 2 ** 30, 2 ** 32]) {
      const words = mt19937.factory({ seed });
      const stream = createStream(seed);
      for (const length of [1, 623, 2000]) {
        const out = new Float64Array(length);
        expect(stream.integers(n, out)).toBe(out);
        for (let i = 0; i < length; i++) if (out[i] !== integerFromWords(words, n)) expect(`integer ${i} of ${length}, n ${n}: ${out[i]}`).toBe('the word-by-word integer');
        expect(stream.uniform()).toBe((words as unknown as Words).normalized());
      }
    }
  });

  it('refuses an integer bound that is not an integer from 1 to 2^32, naming it', () => {
    const stream = createStream(1);
    for (const n of [0, -3, 2.5, NaN, 2 ** 32 + 1]) {
      expect(() => stream.integer(n)).toThrow(`rng.integer(n): n must be an integer from 1 to 2^32, not ${n}`);
      expect(() => stream.integers(n, new Float64Array(3))).toThrow(`rng.integers(n, out): n must be an integer from 1 to 2^32, not ${n}`);
    }
  });

  it('gives integers that are uniform (chi-square over 7 bins, 70,000 draws)', () => {
    const stream = createStream(20240501);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70000; i++) counts[stream.integer(7)]++;
    const chi2 = counts.reduce((s, c) => s + (c - 10000) ** 2 / 10000, 0);
    // 6 degrees of freedom: P(chi2 > 22.46) = 0.001.
    expect(chi2).toBeLessThan(22.46);
  });
});

describe('reseedableStream', () => {
  it('reseeded with seeds of other lengths, still draws what a new stream draws, every kind interleaved', () => {
    const streams = reseedableStream();
    for (const s of [seed, Uint32Array.of(5), Uint32Array.of(1, 2), seed.map((w) => w ^ 0xffff)]) {
      const reseeded = streams.reseed(s);
      const fresh = createStream(s);
      for (let i = 0; i < 1000; i++) {
        expect(reseeded.standardNormal()).toBe(fresh.standardNormal());
        expect(reseeded.integer(5)).toBe(fresh.integer(5));
        expect(reseeded.uniform()).toBe(fresh.uniform());
      }
      expect(Array.from(reseeded.seed)).toEqual(Array.from(s));
    }
  });

  it('makes a deferred stream that draws what a new stream draws, seeded at its first draw', () => {
    const streams = reseedableStream();
    const deferred = streams.deferred(Uint32Array.of(9, 8, 7, 6, 5));
    const other = streams.reseed(seed); // between its making and its first draw: no matter
    other.uniform();
    const fresh = createStream(Uint32Array.of(9, 8, 7, 6, 5));
    const out = new Float64Array(700);
    expect(deferred.uniform()).toBe(fresh.uniform());
    expect(deferred.normal(2, 3)).toBe(fresh.normal(2, 3));
    expect(deferred.integer(6)).toBe(fresh.integer(6));
    expect(Array.from(deferred.standardNormals(out.slice()))).toEqual(Array.from(fresh.standardNormals(out.slice())));
    expect(Array.from(deferred.integers(10, out.slice()))).toEqual(Array.from(fresh.integers(10, out.slice())));
    expect(deferred.standardNormal()).toBe(fresh.standardNormal());
    expect(Array.from(deferred.seed)).toEqual([9, 8, 7, 6, 5]);
  });
});
