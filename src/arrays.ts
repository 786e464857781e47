/**
 * Array helpers for the code every replicate runs, where V8's optimising compiler must see one kind of
 * array at each place.
 */

/**
 * `list.map(f)`, whose result is the same kind of V8 array (a holey one) whichever tier of V8 runs the
 * caller. `Array.prototype.map` returns a packed array from its builtin but a holey one once TurboFan has
 * inlined it into an optimised caller, so every optimised function that had only seen the first kind
 * deoptimises ("wrong map") when the second arrives, and is compiled again.
 */
export function mapArray<T, U>(list: readonly T[], f: (value: T, index: number) => U): U[] {
  const out = new Array<U>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = f(list[i], i);
  return out;
}
