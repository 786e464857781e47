// The entry of every npm script: registers the TypeScript hook (src/compile/register.cjs: each entry loads
// as one cached bundle), then runs src/cli/<command>.ts.
//
// `npm run study` starts Node with V8's --single-threaded: V8 then collects garbage and compiles optimised
// code in the thread that needs it, not in helper threads. A study keeps every core busy with a worker, so
// the helpers have no idle core and only compete with the workers: measured on 2 cores, two workers ran a
// seed-study replicate in 0.78 ms with it and 0.93 ms without, and 5000 replicates took 15 % less time.
//
// `npm run study` and `npm run report` also raise V8's --interrupt-budget from 67584 to 250000: V8 weighs a
// function for optimisation after that much of its bytecode has run, so functions that run briefly (Vega's
// compile, parse and rendering of four charts, each once; a study's set-up) stay in the interpreter and the
// baseline compiler, and the hot loops, which run millions of times, are optimised with fuller type feedback.
// Single-threaded, each optimisation otherwise costs the thread that needs it. Measured on 2 cores, whole
// runs alternated with and without (npm left out): the seed condition's 500 replicates 0.83 s against
// 0.71 s, 5000 replicates 2.02 s against 1.88 s, `npm run report` 0.38 s against 0.34 s; a warm `rs`
// replicate 0.55 ms instead of 0.63. At 500 replicates 100000 was no faster than the default, and 600000 and
// 10^6 slower than 200000 to 300000.
require('../compile/register.cjs');
const [command] = process.argv.splice(2, 1);
require(`./${command}.ts`);
