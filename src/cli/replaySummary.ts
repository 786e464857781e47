/** What `npm run study <name> -- --replay C:R` prints: the replicate, its rows, the comparison with the run, the files. */
import type { Replay } from '../study/replay.ts';
import { displayPath } from './main.ts';
import { conditionText } from './studySummary.ts';
import { fixedWidthTable } from './table.ts';

const SEED_FROM = { option: 'from --seed', journal: "the run's, from its journal", study: "the study's" } as const;

const number = (v: number | null): string => (v === null ? 'NA' : String(Number(v.toPrecision(6))));

/** The replay's report, one line or table after another. */
export function formatReplay(replay: Replay): string {
  const { study, condition, replicate, seed, seedFrom, estimators, rows, journal } = replay;
  const table = fixedWidthTable(
    ['estimator', 'parameter', 'ci', 'estimate', 'se', 'ci_lower', 'ci_upper', 'converged', 'singular', 'error'],
    rows.map((r) => [estimators[r[1]], r[2], r[7], number(r[3]), number(r[4]), number(r[5]), number(r[6]), String((r[8] & 1) === 1), String((r[8] & 2) === 2), r[9]]),
    (j) => j < 3 || j === 9,
  );
  const comparison = !journal
    ? "the run's journal does not hold this replicate with this seed: nothing to compare with"
    : journal.difference === undefined
      ? `the same rows as in the run's journal (${displayPath(journal.path)}), to the last digit`
      : `not the rows of the run's journal (${displayPath(journal.path)}): ${journal.difference}${journal.sourceChanged
        ? "; the study's source changed since the journal was started"
        : '; the study keeps state between calls, or draws from something other than its streams'}`;
  const files = replay.dataCsv ? `wrote ${displayPath(replay.dataCsv)} and ${displayPath(replay.estimatesCsv)}` : `wrote ${displayPath(replay.estimatesCsv)} (generate failed: no dataset)`;
  const refits = replay.dataCsv ? estimators.flatMap((name) => {
    const { formula, reml } = study.estimators[name] as { formula?: string; reml?: boolean };
    if (typeof formula !== 'string') return [];
    return [
      `${name} in lme4:   lme4::lmer(${formula}, data = read.csv("${displayPath(replay.dataCsv!)}"), REML = ${reml === false ? 'FALSE' : 'TRUE'})`,
      `${name} in mixsim: npm run fit -- --data ${displayPath(replay.dataCsv!)} --formula "${formula}"${reml === false ? ' --ml' : ''}`,
    ];
  }) : [];
  return [
    `replicate ${replicate} of condition ${condition.index} (${conditionText(study, condition.index)}), seed ${seed} (${SEED_FROM[seedFrom]})`,
    '',
    table,
    '',
    comparison,
    files,
    ...refits,
  ].join('\n') + '\n';
}
