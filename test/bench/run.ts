/** `npm run bench`: every benchmark, each against its reference measured in the same run. */
import { benchFit } from './fit.ts';
import { benchSatterthwaite } from './satterthwaite.ts';
import { benchStudy } from './study.ts';

const which = process.argv[2];
const fit = which === undefined || which === 'fit' ? benchFit() : true;
const df = which === undefined || which === 'df' ? benchSatterthwaite() : true;
const study = which === undefined || which === 'study' ? benchStudy() : true;
process.exitCode = fit && df && study ? 0 : 1;
