/**
 * What `edelear report DIR` reads from a results folder: which kind of folder it is (a run, a
 * comparison, a sweep), its manifest, every CSV file and every Vega-Lite chart (`*.vl.json`) at
 * its top level — discovered, not listed, so charts and tables added later appear by themselves.
 * Bad files are `InputError`s naming the file and what was expected.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { InputError, ioReason } from '../scenario/errors.ts';
import type { CsvTable } from './html-table.ts';
import { NOTE, WARNINGS_FILE } from './warnings-file.ts';

/** The kind of results folder, from the file that marks it. */
export type FolderKind = 'run' | 'comparison' | 'sweep';

/** The file that marks each kind, in the order they are looked for (a comparison also has a manifest). */
export const KIND_MARKERS: readonly (readonly [FolderKind, string])[] = [
  ['sweep', 'summary.csv'],
  ['comparison', 'compare.csv'],
  ['run', 'manifest.json'],
];

/** One Vega-Lite chart of the folder. */
export interface ChartFile {
  /** The file's name, e.g. `latency.vl.json`. */
  readonly file: string;
  /** The name without `.vl.json`: the rendered `.svg`/`.png` beside it share it. */
  readonly name: string;
  /** The spec as written (data inline). */
  readonly spec: Record<string, unknown>;
  /** Other files of the same chart in the folder (`latency.svg`, `latency.png`). */
  readonly renderings: readonly string[];
}

/** A results folder as the report reads it. */
export interface ResultsFolder {
  readonly dir: string;
  readonly kind: FolderKind;
  /** manifest.json, when the folder has one. */
  readonly manifest?: Record<string, unknown>;
  /** Every top-level CSV file, by name. */
  readonly tables: readonly CsvTable[];
  readonly charts: readonly ChartFile[];
  /** Sub-folders of `runs/` (a sweep's runs), by name. */
  readonly runs: readonly string[];
  /** Sub-folders (other than `runs/`) that are results folders themselves, e.g. the main job's `federated/`: their kind and whether they have their own report.html. */
  readonly parts: readonly FolderPart[];
  /** The warnings of `warnings.txt` (what the command warned of), when it has some; at most {@link MAX_WARNINGS}. */
  readonly warnings?: { readonly lines: readonly string[]; readonly total: number };
  /** Its notes (lines `note: …`: what the runs met that is no error, cli/warnings.ts afterRunNotes), without the prefix; at most {@link MAX_WARNINGS}. */
  readonly notes?: { readonly lines: readonly string[]; readonly total: number };
}

/** Warnings the report shows at most (the file holds them all). */
export const MAX_WARNINGS = 200;

/** A results folder inside another one. */
export interface FolderPart {
  readonly name: string;
  readonly kind: FolderKind;
  readonly hasReport: boolean;
}

/** Files up to this size are read whole; of a larger one (a long trace.csv) only the first {@link HEAD_BYTES}. */
const WHOLE_FILE_BYTES = 4 << 20;
const HEAD_BYTES = 1 << 20;

function problem(file: string, message: string, path = ''): InputError {
  return new InputError(file, [{ path, message }]);
}

/** Reads a results folder: refuses, naming DIR, what is not a folder or holds none of the marker files. */
export function readResultsFolder(dir: string): ResultsFolder {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw problem(dir, 'not a folder; expected a results folder written by edelear run, compare or sweep');
    names = readdirSync(dir).sort();
  } catch (e) {
    if (e instanceof InputError) throw e;
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : `cannot read it (${ioReason(e)})`;
    throw problem(dir, `${why}; expected a results folder written by edelear run, compare or sweep`);
  }
  const kind = KIND_MARKERS.find(([, marker]) => names.includes(marker))?.[0];
  if (!kind) {
    throw problem(
      dir,
      `not a results folder: expected ${KIND_MARKERS.map(([k, m]) => `${m} (${k === 'run' ? 'a run' : k === 'comparison' ? 'a comparison' : 'a sweep'})`).join(', or ')}; found none of them`,
    );
  }
  const file = (name: string) => join(dir, name);
  const manifest = names.includes('manifest.json') ? readJsonObject(file('manifest.json'), 'a manifest written by edelear') : undefined;
  const tables = names.filter((n) => n.toLowerCase().endsWith('.csv') && isFile(file(n))).map((n) => readCsvTable(file(n), n));
  const charts = names
    .filter((n) => n.endsWith('.vl.json') && isFile(file(n)))
    .map((n): ChartFile => {
      const name = n.slice(0, -'.vl.json'.length);
      return {
        file: n,
        name,
        spec: readJsonObject(file(n), 'a Vega-Lite spec (a JSON object)'),
        renderings: names.filter((m) => m === `${name}.svg` || m === `${name}.png`),
      };
    });
  const runsDir = file('runs');
  const runs = names.includes('runs') && isDirectory(runsDir) ? readdirSync(runsDir).filter((n) => isDirectory(join(runsDir, n))).sort() : [];
  const parts = names.flatMap((n): FolderPart[] => {
    const sub = file(n);
    // Hidden folders are not parts: a command's staging folder (`.edelear-writing-…`) among them.
    if (n === 'runs' || n.startsWith('.') || !isDirectory(sub)) return [];
    const inside = readdirSync(sub);
    const partKind = KIND_MARKERS.find(([, marker]) => inside.includes(marker))?.[0];
    return partKind ? [{ name: n, kind: partKind, hasReport: inside.includes('report.html') }] : [];
  });
  const warningLines = names.includes(WARNINGS_FILE) && isFile(file(WARNINGS_FILE)) ? readFileSync(file(WARNINGS_FILE), 'utf8').split('\n').filter((l) => l.trim() !== '') : undefined;
  const firstOf = (lines: string[]) => (lines.length > 0 ? { lines: lines.slice(0, MAX_WARNINGS), total: lines.length } : undefined);
  const warnings = firstOf((warningLines ?? []).filter((l) => !l.startsWith(NOTE)));
  const notes = firstOf((warningLines ?? []).filter((l) => l.startsWith(NOTE)).map((l) => l.slice(NOTE.length)));
  return { dir, kind, manifest, tables, charts, runs, parts, ...(warnings ? { warnings } : {}), ...(notes ? { notes } : {}) };
}

function isFile(path: string): boolean {
  return statSync(path).isFile();
}

function isDirectory(path: string): boolean {
  return statSync(path).isDirectory();
}

function readJsonObject(path: string, expected: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw problem(path, `not valid JSON (${e instanceof SyntaxError ? e.message : ioReason(e)}); expected ${expected}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw problem(path, `a JSON ${Array.isArray(value) ? 'array' : typeof value}; expected ${expected}`);
  return value as Record<string, unknown>;
}

/** Reads a CSV file's header and rows (of a large file, the rows in its first megabyte, and its row count). */
export function readCsvTable(path: string, name = basename(path)): CsvTable {
  const size = statSync(path).size;
  let text: string;
  let totalRows: number | undefined;
  if (size <= WHOLE_FILE_BYTES) {
    text = readFileSync(path, 'utf8');
  } else {
    const head = readHead(path, HEAD_BYTES);
    text = head.slice(0, head.lastIndexOf('\n') + 1);
    totalRows = countLines(path) - 1;
  }
  let records: string[][];
  try {
    records = parseCsv(text, { bom: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new InputError(path, [{ path: '', line, message: `not a CSV table (${(e as Error).message}); expected a header and rows of the same number of fields` }]);
  }
  const [columns = [], ...rows] = records;
  return { file: name, columns, rows, totalRows: totalRows ?? rows.length };
}

function readHead(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Lines of a file (newlines, plus a last line without one), read in 1 MiB blocks. */
function countLines(path: string): number {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  let lines = 0;
  let last = 0x0a;
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      for (let i = 0; i < n; i++) if (buf[i] === 0x0a) lines++;
      last = buf[n - 1];
    }
  } finally {
    closeSync(fd);
  }
  return last === 0x0a ? lines : lines + 1;
}
