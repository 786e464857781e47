/** `npm run bench`: every benchmark, each against its reference measured in the same run. */
import { benchFit } from './fit.ts';

const ok = benchFit();
process.exitCode = ok ? 0 : 1;
