import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../scenario/errors.ts';
import { browserLibraries } from '../report/html-assets.ts';
import { readResultsFolder } from '../report/html-folder.ts';
import { reportHtml } from '../report/html-page.ts';
import { counted } from './format.ts';


/** Options of `edelear report`. */
export interface ReportOptions {
  /** The page's file (default DIR/report.html). */
  readonly out?: string;
  readonly quiet?: boolean;
}

/** The folder as a relative URL path from the page's folder ('' when the page is in it), for the page's links to its files. */
export function folderHref(dir: string, page: string): string {
  const rel = relative(dirname(resolve(page)), resolve(dir));
  if (rel === '') return '';
  return `${rel.split(sep).map(encodeURIComponent).join('/')}/`;
}

/**
 * `edelear report DIR`: reads a results folder (a run, a comparison or a sweep) and writes its
 * report.html (report/html-page.ts); returns the page's path. A missing folder, or one that is
 * not a results folder, is an InputError naming it (exit 2).
 */
export function reportCommand(dir: string, opts: ReportOptions = {}): string {
  const folder = readResultsFolder(dir);
  const out = opts.out ?? join(dir, 'report.html');
  // The page is HTML: a name without .html is most likely a slip (--out requests.csv wrote HTML over the results).
  if (!/\.html?$/i.test(out)) {
    throw new InputError(`--out ${out}`, [{ path: '', message: `expected a file name ending in .html for the page, got ${out === '' ? 'an empty name' : `"${basename(out)}"`} (an existing file of that name would be overwritten with HTML)` }]);
  }
  mkdirSync(dirname(resolve(out)), { recursive: true });
  const html = reportHtml({ folder, libraries: browserLibraries(), folderHref: folderHref(dir, out) });
  writeFileSync(out, html);
  if (!opts.quiet) {
    process.stdout.write(
      `${out}: report of ${folder.kind === 'run' ? 'a run' : folder.kind === 'comparison' ? 'a comparison' : 'a sweep'} — ${counted(folder.tables.length, 'table')}, ${counted(folder.charts.length, 'chart')} (${(html.length / 1e6).toFixed(1)} MB, works offline)\n`,
    );
  }
  return out;
}
