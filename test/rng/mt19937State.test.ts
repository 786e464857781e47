/**
 * mt19937State builds the very state array @stdlib's MT19937 builds from a seed, and a reseeded stream draws
 * exactly what a new @stdlib generator with that seed draws.
 */
import normalFactory from '@stdlib/random-base-normal';
import { describe, expect, it } from 'vitest';
import { mt19937State } from '../../src/rng/mt19937State.ts';
import { fmix32 } from '../../src/rng/seed.ts';
import { createStream, reseedableStream } from '../../src/rng/stream.ts';

/** Seeds of 1 to 5 words, spread over the 32-bit range (and 1, 2^32 - 1 and [0, 0]). */
const seeds: Uint32Array[] = [Uint32Array.of(1), Uint32Array.of(0xffffffff), Uint32Array.of(0, 0)];
for (let k = 0; k < 60; k++) seeds.push(Uint32Array.from({ length: 1 + (k % 5) }, (_, j) => fmix32(1000 * k + j + 1)));

describe('mt19937State', () => {
  it("equals @stdlib's own state array for seeds of 1 to 5 words", () => {
    for (const seed of seeds) {
      expect(Array.from(mt19937State(seed))).toEqual(Array.from(normalFactory.factory(0, 1, { seed }).state as Uint32Array));
    }
  });

  it('reseeds a used stream to draw exactly what a new stream with that seed draws', () => {
    const streams = reseedableStream();
    streams.reseed(seeds[5]).standardNormal();
    for (const seed of seeds.slice(10, 20)) {
      const reseeded = streams.reseed(seed);
      const fresh = createStream(seed);
      for (let i = 0; i < 2000; i++) {
        expect(reseeded.standardNormal()).toBe(fresh.standardNormal());
        expect(reseeded.uniform()).toBe(fresh.uniform());
      }
    }
  });
});
