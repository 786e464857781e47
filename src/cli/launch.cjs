// The entry of every npm script: registers tsx's CommonJS hook (in-thread, where tsx's ESM loader would
// run every module resolution through Node 20's separate hooks thread), then runs src/cli/<command>.ts.
require('tsx/cjs');
const [command] = process.argv.splice(2, 1);
require(`./${command}.ts`);
