/**
 * report.html: built by a study run and by `npm run report` from the CSV files alone; self-contained; and,
 * in a real browser (Debian's Chromium, driven by playwright-core), free of console errors with marks in
 * every chart. Without Chromium the browser part says so and is skipped (.ci/run installs it).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv.ts';
import { writeReport } from '../../src/report/html.ts';
import { runStudy } from '../../src/study/runner.ts';
import { root, runCli } from '../cli/run.ts';
import { tempDir } from '../tempDir.ts';

const chromium = '/usr/bin/chromium';
const out = tempDir('mixsim-report-');
const studiesDir = join(root, 'test', 'fixtures', 'studies');
/** The summary table of a report: its header's and its rows' cells, as text. */
function htmlTable(html: string): { header: string[]; body: string[][] } {
  const cells = (row: string, tag: string): string[] => [...row.matchAll(new RegExp(`<${tag}>(.*?)</${tag}>`, 'g'))].map((m) => m[1]);
  const [, head, rows] = /<table><thead><tr>(.*?)<\/tr><\/thead><tbody>(.*?)<\/tbody><\/table>/s.exec(html)!;
  return { header: cells(head, 'th'), body: [...rows.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => cells(m[1], 'td')) };
}

if (!existsSync(chromium)) console.warn('report browser test skipped: no /usr/bin/chromium (apt-get install -y chromium)');

describe('report.html', () => {
  it('is written by every study run, self-contained, with the design, seed and four charts', async () => {
    // Two workers: they draw the charts themselves (resultsWriter.ts).
    const run = await runStudy({ study: 'tiny', studiesDir, out, replications: 6, workers: 2, progress: 'none', log: () => {} });
    expect(run.reportHtml).toBe(join(out, 'report.html'));
    const html = readFileSync(run.reportHtml!, 'utf8');
    // No network: nothing is fetched (the only URLs are SVG's XML namespaces).
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/);
    expect(html.replace(/xmlns(:xlink)?="http:\/\/www\.w3\.org\/[^"]+"/g, '')).not.toMatch(/https?:\/\//);
    expect(html).toContain('<dt>seed</dt><dd>7</dd>');
    expect(html).toContain('groups: 4, 8; slope_sd: 0.5');
    expect(html.match(/<figure class="chart" id="(bias|coverage|se|failures)"><svg/g)).toHaveLength(4);
  });

  it("is the same drawn by a one-worker run's own charts threads as by a run's two workers", async () => {
    const one = tempDir('mixsim-report-one-');
    await runStudy({ study: 'tiny', studiesDir, out: one, replications: 6, workers: 1, progress: 'none', log: () => {} });
    const page = (dir: string): string => readFileSync(join(dir, 'report.html'), 'utf8').replace(/<dt>run time<\/dt><dd>[^<]*<\/dd>/, '');
    expect(page(one)).toContain('<figure class="chart" id="failures"><svg');
    expect(page(one)).toBe(page(out));
  });

  it('is rebuilt by npm run report from the CSV files alone', () => {
    const again = tempDir('mixsim-report-again-');
    rmSync(join(out, 'journal.ndjson'));
    const r = runCli('report', [out, '--out', again]);
    expect(r.code).toBe(0);
    expect(statSync(join(again, 'report.html')).size).toBeGreaterThan(10_000);
    expect(readFileSync(join(again, 'report.html'), 'utf8').replace(/\(\d{4}-[^)]*\)/, '')).toBe(readFileSync(join(out, 'report.html'), 'utf8').replace(/\(\d{4}-[^)]*\)/, ''));
  });

  it('is rebuilt, the same, from the tables of a run made before the later MCSE and power columns', async () => {
    const earlier = tempDir('mixsim-report-earlier-');
    const later = ['rel_bias_mcse', 'model_se_mcse', 'model_se_rel_error_mcse', 'rmse_mcse', 'power', 'power_mcse'];
    const [header, ...lines] = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    const names = header.split(',');
    expect(names).toEqual(expect.arrayContaining(later));
    const keep = names.map((name, i) => (later.includes(name) ? -1 : i)).filter((i) => i >= 0);
    const drop = (line: string): string => { const cells = line.split(','); return keep.map((i) => cells[i]).join(','); };
    writeFileSync(join(earlier, 'summary.csv'), `${[header, ...lines].map(drop).join('\n')}\n`);
    writeFileSync(join(earlier, 'run.json'), readFileSync(join(out, 'run.json')));
    const page = await writeReport(earlier);
    const direct = tempDir('mixsim-report-current-');
    await writeReport(out, direct);
    expect(readFileSync(page, 'utf8')).toBe(readFileSync(join(direct, 'report.html'), 'utf8'));
  });

  it("shows each estimator's precision relative to the reference, and no such column for one estimator or an earlier summary", async () => {
    const compare = tempDir('mixsim-report-compare-');
    await runStudy({ study: 'compare', studiesDir, out: compare, replications: 12, workers: 2, progress: 'none', log: () => {} });
    const { header, body } = htmlTable(readFileSync(join(compare, 'report.html'), 'utf8'));
    const column = header.indexOf('precision vs ols (MCSE)');
    expect(column).toBeGreaterThan(header.indexOf('emp. SE'));
    const summary = parseCsv(readFileSync(join(compare, 'summary.csv'), 'utf8'), 'summary.csv').data;
    expect(body).toHaveLength(summary.estimator.length);
    let shown = 0;
    body.forEach((cells, i) => {
      const value = summary.rel_precision[i] as number;
      const cell = /^(-?[\d.]+) \(([\d.]+)\)$/.exec(cells[column]);
      if (!Number.isFinite(value)) {
        expect(cells[column]).toBe('NA');
        return;
      }
      expect(cell, cells[column]).not.toBeNull();
      // Three decimals, rounded.
      expect(Math.abs(Number(cell![1]) - value)).toBeLessThanOrEqual(5e-4 + 1e-12);
      expect(Math.abs(Number(cell![2]) - (summary.rel_precision_mcse[i] as number))).toBeLessThanOrEqual(5e-4 + 1e-12);
      if (summary.estimator[i] === 'ols') expect(cells[column]).toBe('0 (0)');
      else if (value !== 0) shown++;
    });
    expect(shown).toBeGreaterThan(4); // ri's and rs's fixed effects, in both conditions
    // The mixed models' sd and sigma rows: least squares has no such parameter.
    expect(body.filter((cells) => cells[header.indexOf('parameter')] === 'sigma' && cells[column] === 'NA')).toHaveLength(4);

    // One estimator (rs's rows alone), and a summary.csv from before the column: no column.
    const lines = readFileSync(join(compare, 'summary.csv'), 'utf8').trim().split('\n');
    const names = lines[0].split(',');
    const alone = tempDir('mixsim-report-alone-');
    writeFileSync(join(alone, 'summary.csv'), `${[lines[0], ...lines.slice(1).filter((l) => l.split(',')[names.indexOf('estimator')] === 'rs')].join('\n')}\n`);
    const earlier = tempDir('mixsim-report-before-precision-');
    const keep = names.map((name, i) => (name.startsWith('rel_precision') ? -1 : i)).filter((i) => i >= 0);
    writeFileSync(join(earlier, 'summary.csv'), `${lines.map((l) => keep.map((i) => l.split(',')[i]).join(',')).join('\n')}\n`);
    for (const dir of [alone, earlier]) {
      const page = readFileSync(await writeReport(dir), 'utf8');
      expect(htmlTable(page).header.some((h) => h.startsWith('precision'))).toBe(false);
      expect(page).not.toContain('Precision vs');
    }
  });

  it("draws the same report with the commands' bundle of Vega as with Vega's own modules", async () => {
    const direct = tempDir('mixsim-report-direct-');
    await writeReport(out, direct); // under vitest, html.ts imports Vega's and Vega-Lite's own ES modules
    const bundled = tempDir('mixsim-report-bundled-');
    expect(runCli('report', [out, '--out', bundled]).code).toBe(0);
    expect(readFileSync(join(bundled, 'report.html'), 'utf8')).toBe(readFileSync(join(direct, 'report.html'), 'utf8'));
  });

  const malformed = tempDir('mixsim-malformed-');
  writeFileSync(join(malformed, 'summary.csv'), 'n_groups,estimator,parameter\n5,ri,X\n');
  const ragged = tempDir('mixsim-ragged-');
  writeFileSync(join(ragged, 'summary.csv'), 'a,b\n1\n');
  it.each([
    [['nosuchstudy'], /^error: report: no results for 'nosuchstudy'/],
    [[tmpdir()], /^error: .*: no results here \(no summary\.csv\): run the study first\n$/],
    [[malformed], /^error: .*summary\.csv: column 'ci_method' is missing\n$/],
    [[ragged], /^error: .*summary\.csv: line 2 has 1 fields but the header has 2\n$/],
    [[ragged, '--out', join(ragged, 'summary.csv', 'report')], /^error: --out: '.*summary\.csv' is a file, not a folder\n$/],
  ])('fails with one line: %j', (args, message) => {
    const r = runCli('report', args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it.skipIf(!existsSync(chromium))("draws no condition's label over another's, for 2, 8 and 120 conditions, in headless Chromium", async () => {
    // tiny (2 conditions), the cluster-trial example (8: panels widened for labels side by side), grid (120: upright labels).
    const eight = tempDir('mixsim-report-eight-');
    await runStudy({ study: 'clustertrial', studiesDir: join(root, 'studies'), out: eight, replications: 2, workers: 2, progress: 'none', log: () => {} });
    const many = tempDir('mixsim-report-many-');
    await runStudy({ study: 'grid', studiesDir, out: many, replications: 2, workers: 2, progress: 'none', log: () => {} });
    const { chromium: browserType } = await import('playwright-core');
    const browser = await browserType.launch({ executablePath: chromium, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      for (const [dir, conditions] of [[out, 2], [eight, 8], [many, 120]] as const) {
        await page.goto(`file://${join(dir, 'report.html')}`);
        // Each axis's shown labels, as boxes on the page.
        const axes = await page.$$eval('figure.chart g.role-axis', (groups) => groups.map((axis) => [...axis.querySelectorAll('g.role-axis-label text')]
          .filter((t) => t.getAttribute('opacity') !== '0')
          .map((t) => { const b = t.getBoundingClientRect(); return { text: t.textContent ?? '', left: b.left, right: b.right, top: b.top, bottom: b.bottom }; })));
        const conditionAxes = axes.filter((labels) => labels.some((l) => l.text.includes(' / ')));
        expect(conditionAxes.length, dir).toBeGreaterThanOrEqual(2);
        for (const labels of conditionAxes) {
          if (conditions <= 8) expect(labels.map((l) => l.text), dir).toHaveLength(conditions); // every label shown
          else expect(labels.length, dir).toBeGreaterThanOrEqual(conditions / 3);
          for (let i = 1; i < labels.length; i++) {
            const [a, b] = [labels[i - 1], labels[i]];
            const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
            expect(overlap, `${dir}: '${a.text}' and '${b.text}'`).toBe(false);
          }
        }
      }
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!existsSync(chromium))('renders in headless Chromium with no console error and marks in every chart', async () => {
    const { chromium: browserType } = await import('playwright-core');
    const browser = await browserType.launch({
      executablePath: chromium,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`file://${join(out, 'report.html')}`);
      const marks = await page.$$eval('figure.chart', (figures) => figures.map((f) => ({
        id: f.id,
        marks: f.querySelectorAll('svg g[class*="mark-symbol"] path, svg g[class*="mark-rule"] line, svg g[class*="mark-rect"] path').length,
        width: f.querySelector('svg')?.getBoundingClientRect().width ?? 0,
      })));
      expect(marks.map((m) => m.id)).toEqual(['bias', 'coverage', 'se', 'failures']);
      for (const m of marks) {
        expect(m.marks, m.id).toBeGreaterThan(0);
        expect(m.width, m.id).toBeGreaterThan(100);
      }
      expect(await page.locator('table tbody tr').count()).toBeGreaterThan(10);
      // Kept for a person to look at (the test's folders are removed): results/ is git-ignored output.
      mkdirSync(join(root, 'results', 'test'), { recursive: true });
      const screenshot = join(root, 'results', 'test', 'report.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(statSync(screenshot).size).toBeGreaterThan(50_000);
      console.log(`report screenshot: ${screenshot}`);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
