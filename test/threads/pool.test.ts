/** Pools of TypeScript threads: as many threads as asked at most, and only the eager ones at the start. */
import { describe, expect, it } from 'vitest';
import { closePool, typescriptPool } from '../../src/threads/pool.ts';

const module = new URL('../fixtures/threads/double.ts', import.meta.url);

describe('typescriptPool', () => {
  it('starts the eager threads at once and the others only for waiting tasks', async () => {
    const pool = typescriptPool({ module, threads: 8, eager: 2 });
    try {
      expect(pool.threads).toHaveLength(2);
      expect(await pool.run(21)).toBe(42);
      expect(pool.threads).toHaveLength(2);
      expect(await Promise.all([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((x) => pool.run(x)))).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
      expect(pool.threads.length).toBeLessThanOrEqual(8);
    } finally {
      await closePool(pool);
    }
  });

  it('starts every thread at once by default', async () => {
    const pool = typescriptPool({ module, threads: 3 });
    try {
      expect(pool.threads).toHaveLength(3);
    } finally {
      await closePool(pool);
    }
  });
});
