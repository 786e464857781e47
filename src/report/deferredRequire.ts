/**
 * Deferred CommonJS dependencies: `require(id)` from a given package returns a stand-in that loads the
 * real module on its first use (a property read, a call, `in`). danfojs-node requires mathjs, xlsx, request,
 * node-fetch, stream-json and table when it loads, for its statistics, Excel, URL, JSON and printing
 * functions, and TensorFlow.js for its tensors. Writing a CSV uses none of them, and without them danfojs
 * loads in 0.03 s instead of 1.3.
 */
import { createRequire, Module } from 'node:module';

/**
 * Makes `require(id)`, as resolved from the module file `from`, return a stand-in for the real module. The
 * stand-in forwards property reads, `in` and calls (how danfojs uses these modules), and answers
 * `__esModule` as a CommonJS module does (undefined), so that `__importDefault` does not load it. Until the
 * real module has loaded, it answers the properties of `answers(load)` itself (`load` returns the real
 * module, loading it). Nothing happens when the module is already loaded.
 */
export function deferRequire(id: string, from: string, answers: (load: () => object) => Record<PropertyKey, unknown> = () => ({})): void {
  const require = createRequire(from);
  const path = require.resolve(id);
  if (require.cache[path]) return;
  let real: object | undefined;
  const load = (): object => {
    if (real === undefined) {
      delete require.cache[path];
      real = require(path) as object;
    }
    return real;
  };
  const own = answers(load);
  const standIn = new Proxy(() => undefined, {
    get: (_, key) => {
      if (key === '__esModule') return undefined;
      return real === undefined && Object.hasOwn(own, key) ? own[key] : Reflect.get(load(), key);
    },
    has: (_, key) => key in load(),
    apply: (_, self, args) => Reflect.apply(load() as (...a: unknown[]) => unknown, self, args),
  });
  const module = new Module(path);
  module.filename = path;
  module.loaded = true;
  module.exports = standIn;
  require.cache[path] = module;
}
