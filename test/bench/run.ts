/** `npm run bench`: every benchmark, each against its reference measured in the same run. */
import { benchFit } from './fit.ts';
import { benchStudy } from './study.ts';

const which = process.argv[2];
const fit = which === undefined || which === 'fit' ? benchFit() : true;
const study = which === undefined || which === 'study' ? benchStudy() : true;
process.exitCode = fit && study ? 0 : 1;
