// The entry of every npm script: registers the TypeScript hook (src/compile/register.cjs: each entry loads
// as one cached bundle), then runs src/cli/<command>.ts.
//
// `npm run study` starts Node with V8's --single-threaded: V8 then collects garbage and compiles optimised
// code in the thread that needs it, not in helper threads. A study keeps every core busy with a worker, so
// the helpers have no idle core and only compete with the workers: measured on 2 cores, two workers ran a
// seed-study replicate in 0.78 ms with it and 0.93 ms without, and 5000 replicates took 15 % less time.
require('../compile/register.cjs');
const [command] = process.argv.splice(2, 1);
require(`./${command}.ts`);
