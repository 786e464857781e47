/**
 * Normals in bulk are @stdlib's improved ziggurat, draw for draw: checked against @stdlib's own generator
 * from the same state, not against ourselves, over lengths that end on, before and after the MT19937's twist
 * after 624 words, and with enough draws to take the rare paths (the wedges and the tail beyond R).
 */
import improvedZiggurat from '@stdlib/random-base-improved-ziggurat';
import { describe, expect, it } from 'vitest';
import { mt19937State } from '../../src/rng/mt19937State.ts';
import { createStream, reseedableStream } from '../../src/rng/stream.ts';
import { fillStandardNormal } from '../../src/rng/ziggurat.ts';

/** The tail of the ziggurat starts at R: a draw beyond it came from the tail path. */
const TAIL = 3.442619855899;

describe('fillStandardNormal', () => {
  it("fills exactly the normals @stdlib draws one at a time, and leaves @stdlib's state", () => {
    let tail = 0;
    let drawn = 0;
    for (const seed of [Uint32Array.of(1), Uint32Array.of(0x9e3779b9, 7, 11, 13), Uint32Array.of(2 ** 32 - 1, 0)]) {
      const reference = improvedZiggurat.factory({ state: mt19937State(seed) });
      const state = mt19937State(seed);
      for (const length of [0, 1, 2, 3, 207, 208, 209, 623, 624, 625, 1000, 200_000]) {
        const out = new Float64Array(length);
        fillStandardNormal(state, out);
        for (let i = 0; i < length; i++) {
          const expected = reference();
          if (out[i] !== expected) expect(`draw ${drawn + i}: ${out[i]}`).toBe(`draw ${drawn + i}: ${expected}`);
          if (Math.abs(out[i]) > TAIL) tail++;
        }
        drawn += length;
        expect(Array.from(state)).toEqual(Array.from(reference.state as Uint32Array));
      }
    }
    // P(|Z| > R) = 5.8e-4: about 350 tail draws in 600,000.
    expect(tail).toBeGreaterThan(200);
  });
});

describe('RandomStream.standardNormals', () => {
  it('is the draws of as many standardNormal() calls, interleaved with every other kind of draw', () => {
    const seed = Uint32Array.of(20261121, 5);
    const bulk = createStream(seed);
    const single = createStream(seed);
    for (const length of [5000, 10, 1, 621, 5000]) {
      const out = new Float64Array(length);
      expect(bulk.standardNormals(out)).toBe(out);
      for (let i = 0; i < length; i++) if (out[i] !== single.standardNormal()) expect(i).toBe('a draw equal to one at a time');
      expect(bulk.integer(7)).toBe(single.integer(7));
      expect(bulk.uniform()).toBe(single.uniform());
      expect(bulk.normal(3, 2)).toBe(single.normal(3, 2));
    }
  });

  it('follows a reseeded stream to seeds of other lengths (a new shared state array)', () => {
    const streams = reseedableStream();
    for (const seed of [Uint32Array.of(9), Uint32Array.of(1, 2, 3), Uint32Array.of(9), Uint32Array.of(4, 5)]) {
      const reseeded = streams.reseed(seed);
      const fresh = createStream(seed);
      const out = reseeded.standardNormals(new Float64Array(700));
      for (let i = 0; i < out.length; i++) expect(out[i]).toBe(fresh.standardNormal());
      expect(reseeded.uniform()).toBe(fresh.uniform());
    }
  });
});
