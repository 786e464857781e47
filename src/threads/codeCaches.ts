/**
 * A task for any thread of a pool: saves the code caches of the bundles the thread loaded, with all it has
 * compiled while it worked (src/compile/register.cjs). Nothing where no hook loaded TypeScript (vitest).
 */
export default function saveCodeCaches(): void {
  const save = (globalThis as Record<symbol, unknown>)[Symbol.for('mixsim.saveWorkedCodeCaches')];
  if (typeof save === 'function') save();
}
