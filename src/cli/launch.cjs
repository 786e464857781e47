// The entry of every npm script: registers the TypeScript hook (src/compile/register.cjs: each entry loads
// as one cached bundle), then runs src/cli/<command>.ts.
require('../compile/register.cjs');
const [command] = process.argv.splice(2, 1);
require(`./${command}.ts`);
