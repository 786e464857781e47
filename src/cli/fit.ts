/**
 * `npm run fit -- --data FILE.csv --formula "y ~ x + (1 + x | g)" [--ml] [--json]`: fits one model and
 * prints lme4's summary, or one JSON object.
 */
import { ensureNumeric, readCsv } from '../data/csv.ts';
import { UserError } from '../errors.ts';
import { cachedFormula, fitLmm } from '../lmm/fit.ts';
import { checkIntervalMethod, fixefInference } from '../lmm/intervals.ts';
import { parseArgs } from './args.ts';
import { fitJson, formatFit } from './fitSummary.ts';
import { runCommand } from './main.ts';

const USAGE = 'usage: npm run fit -- --data FILE.csv --formula "y ~ x + (1 + x | g)" [--ml] [--json] [--ci wald|satterthwaite|profile] [--level 0.95]';

runCommand((argv) => {
  const { flags, positionals } = parseArgs(argv, {
    data: 'string', formula: 'string', ml: 'boolean', json: 'boolean', ci: 'string', level: 'string', help: 'boolean',
  }, 'fit');
  if (flags.help) { process.stdout.write(`${USAGE}\n`); return; }
  if (positionals.length) throw new UserError(`fit: unexpected argument '${positionals[0]}' (${USAGE})`);
  const data = flags.data as string | undefined;
  const formulaText = flags.formula as string | undefined;
  if (!data) throw new UserError(`fit: --data is required (${USAGE})`);
  if (!formulaText) throw new UserError(`fit: --formula is required (${USAGE})`);
  const ci = flags.ci === undefined ? undefined : checkIntervalMethod(String(flags.ci), 'fit: --ci');
  const level = flags.level === undefined ? 0.95 : Number(flags.level);
  if (!(level > 0 && level < 1)) throw new UserError(`fit: --level must be a number between 0 and 1, not '${flags.level}'`);
  if (flags.level !== undefined && !ci) throw new UserError('fit: --level goes with --ci');
  const formula = cachedFormula(formulaText);
  const table = readCsv(data);
  const groups = new Set(formula.random.map((r) => r.group));
  ensureNumeric(table, formula.variables.filter((v) => !groups.has(v)));
  const fit = fitLmm(formula, table.data, { reml: !flags.ml, source: data });
  const intervals = ci ? { method: ci, level, rows: fixefInference(fit, ci, level) } : undefined;
  process.stdout.write(flags.json ? `${JSON.stringify(fitJson(fit, intervals), null, 2)}\n` : formatFit(fit, data, intervals));
});
