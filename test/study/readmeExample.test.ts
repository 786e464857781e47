import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatUnmatchedTruth } from '../../src/cli/studySummary.ts';
import { runStudy } from '../../src/study/runner.ts';
import { root } from '../cli/run.ts';
import { tempDir } from '../tempDir.ts';

/** The study file that the README's "Write a study" section shows, as it shows it. */
function readmeStudy(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /```ts\n(\/\/ studies\/fewgroups\.ts\n[\s\S]*?)```/.exec(readme);
  if (!block) throw new Error("README.md has no ```ts block starting with '// studies/fewgroups.ts'");
  return block[1];
}

describe("the README's example study", () => {
  it('runs as written, and its summary has every estimator and parameter it promises', async () => {
    const dir = tempDir('mixsim-readme-');
    const studies = join(dir, 'studies');
    const source = readmeStudy();
    expect(source).toContain("from '../src/index.ts'");
    // In a studies folder of its own, its import pointed at this repository's src/.
    mkdirSync(studies);
    writeFileSync(join(studies, 'fewgroups.ts'), source.replace("'../src/index.ts'", JSON.stringify(join(root, 'src', 'index.ts'))));
    const out = join(dir, 'results');
    const result = await runStudy({ study: 'fewgroups', studiesDir: studies, out, replications: 3, workers: 2, progress: 'none', log: () => {} });
    expect(result.ran).toBe(6 * 3);
    const summary = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    const pairs = new Set(summary.slice(1).map((line) => line.split(',').slice(2, 4).join(' ')));
    for (const pair of ['ri (Intercept)', 'ri X', 'ri sd:group:(Intercept)', 'ri sigma', 'rs X', 'rs sd:group:X', 'rs cor:group:(Intercept):X', 'mean_y mean_response']) {
      expect(pairs).toContain(pair);
    }
    // Its truth names only parameters its estimators report: no true value is lost to a misspelt name.
    expect(formatUnmatchedTruth(result.study, result.summary)).toBe('');
  });
});
