import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/cli/report.ts';

/*
 * report.html in a real browser: Debian's chromium, headless, driven by playwright-core. A short
 * real run and a short real comparison of scenarios/default.yaml make the folders; the page is
 * opened from file://, every request outside file:// is recorded and refused, and the test waits
 * for the page's own signal that vega-embed has finished (data-charts on <html>).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const INSTALL = 'apt-get update && apt-get install -y chromium (Debian; or set CHROMIUM_PATH)';

if (!HAVE_CHROMIUM && !process.env.CI) {
  process.stderr.write(`test/report/html-browser.test.ts skipped: no Chromium at ${CHROMIUM}; install it with: ${INSTALL}\n`);
}

/** Runs the CLI (rejects with its standard error when it exits non-zero). */
const edelear = (args: string[]) => promisify(execFile)(process.execPath, ['bin/edelear.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

/** A name a user could give a node or workload: HTML that would run script if it reached the page unescaped. */
const EVIL_NAME = '<img src=x onerror="window.__injected = 1">';

/** What a page did while it was open. */
interface Visit {
  readonly charts: string | null;
  readonly figures: number;
  /** Per figure: the drawn SVG's size and its number of elements, or a canvas's size. */
  readonly drawn: readonly { readonly file: string; readonly width: number; readonly height: number; readonly elements: number }[];
  readonly errors: readonly string[];
  readonly requests: readonly string[];
  readonly refused: readonly string[];
  readonly injected: unknown;
  /** <img> elements in the page (it has none of its own). */
  readonly images: number;
  readonly text: string;
  readonly screenshot: string;
}

describe.skipIf(!HAVE_CHROMIUM && !process.env.CI)('report.html in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edelear-report-'));
  const run = join(dir, 'run');
  const comparison = join(dir, 'compare');
  let browser: Browser;

  beforeAll(async () => {
    expect(HAVE_CHROMIUM, `no Chromium at ${CHROMIUM} (CI is set, so this fails rather than skips): ${INSTALL}`).toBe(true);
    // Short on purpose (20 s simulated, 10 s of it warm-up): the two commands run side by side.
    await Promise.all([
      edelear(['run', 'scenarios/default.yaml', '--set', 'duration=20s', '--out', run, '--quiet']),
      edelear(['compare', 'scenarios/default.yaml', '--replications', '2', '--set', 'duration=20s', '--out', comparison, '--quiet']),
    ]);
    // User input in a table and in a chart (as a scenario's names would be): shown as text, never run.
    writeFileSync(join(run, 'names.csv'), `node,served\n"${EVIL_NAME.replaceAll('"', '""')}",3\n`);
    writeFileSync(
      join(run, 'names.vl.json'),
      JSON.stringify({
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        description: `</script><script>window.__injected = 2</script>${EVIL_NAME}`,
        data: { values: [{ node: EVIL_NAME, served: 3 }, { node: 'gw', served: 4 }] },
        mark: 'bar',
        encoding: { x: { field: 'node', type: 'nominal' }, y: { field: 'served', type: 'quantitative' } },
      }),
    );
    // `edelear report` itself (the command's function; its CLI and exit codes: html.test.ts).
    reportCommand(run, { quiet: true });
    reportCommand(comparison, { quiet: true });
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function visit(folder: string, name: string): Promise<Visit> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    const refused: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      refused.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(join(folder, 'report.html')).href);
    await page.waitForSelector('html[data-charts]', { timeout: 30_000 });
    // Run in the page (a string: this project's TypeScript has no DOM types).
    const result = (await page.evaluate(`(() => ({
      charts: document.documentElement.getAttribute('data-charts'),
      figures: document.querySelectorAll('figure.chart').length,
      drawn: Array.from(document.querySelectorAll('figure.chart')).map((f) => {
        const svg = f.querySelector('.chart-view svg');
        const canvas = f.querySelector('.chart-view canvas');
        const box = (svg || canvas) ? (svg || canvas).getBoundingClientRect() : undefined;
        return { file: f.dataset.file || '', width: box ? box.width : 0, height: box ? box.height : 0, elements: svg ? svg.querySelectorAll('*').length : canvas ? 1 : 0 };
      }),
      injected: window.__injected,
      images: document.querySelectorAll('img').length,
      text: document.body.textContent,
    }))()`)) as Pick<Visit, 'charts' | 'figures' | 'drawn' | 'injected' | 'images' | 'text'>;
    const screenshot = join(dir, `${name}.png`);
    await page.locator('#charts').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshot });
    console.log(`report.html screenshot: ${screenshot}`);
    await page.close();
    return { ...result, errors, requests, refused, screenshot };
  }

  function expectRendered(v: Visit, folder: string): void {
    const specs = readdirSync(folder).filter((f) => f.endsWith('.vl.json')).sort();
    expect(v.charts).toBe('rendered');
    expect(v.figures).toBe(specs.length);
    expect(v.drawn.map((d) => d.file).sort()).toEqual(specs);
    for (const d of v.drawn) {
      expect(d.width, d.file).toBeGreaterThan(0);
      expect(d.height, d.file).toBeGreaterThan(0);
      // A drawn chart has its marks, axes and text: more than an empty SVG's root group.
      expect(d.elements, d.file).toBeGreaterThan(10);
    }
    expect(v.errors).toEqual([]);
    expect(v.refused).toEqual([]);
    expect(v.requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
  }

  it('a run: every chart drawn (the added one too), no console errors, nothing fetched, names shown as text', async () => {
    const v = await visit(run, 'run');
    // default.yaml's run draws latency and nodes; names.vl.json was added: 3 at least, all discovered.
    expect(v.figures).toBeGreaterThanOrEqual(3);
    expectRendered(v, run);
    expect(v.injected).toBeUndefined();
    expect(v.images).toBe(0);
    expect(v.text).toContain(EVIL_NAME); // the table cell, as text
  });

  it('a comparison: every chart drawn, no console errors, nothing fetched', async () => {
    const v = await visit(comparison, 'compare');
    expect(v.figures).toBeGreaterThanOrEqual(1);
    expectRendered(v, comparison);
  });
});
