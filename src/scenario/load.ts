import { readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { type Document, isMap, isScalar, isSeq, LineCounter, parse as parseYaml, parseDocument, type YAMLError } from 'yaml';
import { InputError, ioReason, type Problem, formatPath } from './errors.ts';

export { ioReason };
import { dedupe, problemAt, toProblem } from './issues.ts';
import { implausibleNumbers } from './plausibility.ts';
import { decodeUtf8 } from './utf8.ts';
import { type Scenario, scenarioSchema } from './schema.ts';
import { typeName } from './units.ts';

/** A scenario read from a file and validated, with what is needed to point at its lines. */
export interface LoadedScenario {
  /** The file as given on the command line. */
  readonly file: string;
  /** The file's text as read (what the manifest's hash is computed from). */
  readonly text: string;
  readonly scenario: Scenario;
  /** What is legal but most likely a slip (a bare number implausible for its kind), with path and line; the CLI prints them. */
  readonly warnings: readonly Problem[];
  /** 1-based line of a path inside the file, where known. */
  locate(path: readonly PropertyKey[]): number | undefined;
  /**
   * A problem found after validation (the build's): at its line, marked `(from --set)` when a
   * `--set` wrote the path, else — when `--set`s were given — naming them, since they may be its
   * cause (`--set links=[]` disconnects a workload's device far from the links' lines).
   */
  problem(path: readonly PropertyKey[], message: string): Problem;
  /** Reads a numeric CSV column named in the scenario (relative to the scenario's folder). */
  readColumn(ref: { file: string; column?: string }, path: readonly PropertyKey[], rule?: ColumnRule): Float64Array;
}

/** Aliases a document may expand before it is refused (guards against YAML alias bombs). */
const MAX_ALIAS_COUNT = 1000;

/** How {@link loadScenario} may read. */
export interface LoadOptions {
  /**
   * A folder the scenario's data files (CSV traces) must lie in, real path and all: a sweep
   * worker's project folder, so that a job from the queue cannot have it read (and quote in an
   * error) a file elsewhere on its machine. Unrestricted when absent.
   */
  readonly root?: string;
}

/** Whether the path `child` lies strictly inside the folder `parent`, by their names alone (both absolute). */
export function isInside(parent: string, child: string): boolean {
  const r = relative(parent, child);
  return r !== '' && r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r);
}

/** Whether `path` (its real path when it exists, symbolic links followed) lies inside the folder `root`. */
export function withinFolder(root: string, path: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return isInside(real(root), real(path));
}

/**
 * Reads, parses and validates a scenario file (YAML or JSON). `--set path=value`
 * overrides are applied before validation. Every problem is an {@link InputError}.
 */
export function loadScenario(file: string, overrides: readonly string[] = [], options: LoadOptions = {}): LoadedScenario {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError(file, [{ path: '', message: `cannot read the scenario file (${ioReason(e)}); expected a YAML or JSON file` }]);
  }
  const text = decodeUtf8(file, bytes);
  const empty = new InputError(file, [{ path: '', message: 'the file is empty; expected a scenario mapping (name, duration, nodes, links, workloads)' }]);
  if (text.trim() === '') throw empty;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) throw new InputError(file, doc.errors.map((e) => yamlProblem(doc, lineCounter, e, /\.json$/i.test(file) ? 'JSON' : 'YAML')));
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw new InputError(file, [
      { path: '', message: `refused: ${(e as Error).message}; expected at most ${MAX_ALIAS_COUNT} alias expansions (is this a YAML alias bomb?)` },
    ]);
  }
  if (raw === null || raw === undefined) throw empty;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    const line = doc.contents?.range ? lineCounter.linePos(doc.contents.range[0]).line : undefined;
    throw new InputError(file, [{ path: '', line, message: `expected a mapping of scenario keys (name, duration, nodes…), got ${typeName(raw)}` }]);
  }
  // A sweep file given where a scenario is expected: say what it is, not every key it lacks.
  const keys = raw as Record<string, unknown>;
  if (typeof keys.scenario === 'string' && !('nodes' in keys) && ('parameters' in keys || 'points' in keys)) {
    throw new InputError(file, [{ path: '', line: 1, message: 'expected a scenario file (nodes, links, workloads…), got a sweep file (a base scenario and the parameters to vary): run it with `edelear sweep FILE`' }]);
  }
  const fromSet = new Set<string>();
  for (const o of overrides) fromSet.add(applyOverride(raw as Record<string, unknown>, o, file));

  // A value that came from --set has no line in the file.
  const setByFlag = (p: string) => [...fromSet].some((s) => p === s || p.startsWith(`${s}.`) || p.startsWith(`${s}[`));
  const locate = (path: readonly PropertyKey[]): number | undefined =>
    setByFlag(formatPath(path)) ? undefined : lineOf(doc, lineCounter, path);
  const result = scenarioSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    // Unknown keys first: a typo also makes the key it misspells "missing", and the typo is the real mistake.
    const issues = [...result.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
    const problems = issues.map((issue) => toProblem(issue, locate, fromSet));
    throw new InputError(file, dedupe(problems));
  }
  const scenario = result.data;
  const problem = (path: readonly PropertyKey[], message: string): Problem => {
    const p = problemAt(path, message, locate, fromSet);
    if (overrides.length === 0 || p.message.endsWith('(from --set)')) return p;
    const shown = overrides.slice(0, 3).map((o) => `--set ${o}`);
    return { ...p, message: `${p.message} (in the file as changed by ${shown.join(', ')}${overrides.length > 3 ? ` and ${overrides.length - 3} more` : ''})` };
  };
  if (scenario.warmup >= scenario.duration) {
    throw new InputError(file, [problem(['warmup'], `expected a warm-up shorter than the duration (${scenario.duration} s), got ${scenario.warmup} s`)]);
  }
  const dir = dirname(file);
  return {
    file,
    text,
    scenario,
    warnings: implausibleNumbers(raw).map(({ path, message }) => problemAt(path, message, locate, fromSet)),
    locate,
    problem,
    readColumn: (ref, path, rule) => {
      const csv = isAbsolute(ref.file) ? ref.file : join(dir, ref.file);
      if (options.root !== undefined && !withinFolder(options.root, csv)) {
        const at = [...path, 'file'];
        throw new InputError(file, [problem(at, `expected a data file inside ${resolve(options.root)} (a sweep worker reads only its project folder), got ${ref.file}`)]);
      }
      return readColumn(csv, ref.column, { file, path, locate, problem }, rule);
    },
  };
}

/** Sets `a.b[2].c=value` in the raw document; the value is read as YAML. Returns the path written: the first mapping it created, else the value's. */
function applyOverride(raw: Record<string, unknown>, override: string, file: string): string {
  const eq = override.indexOf('=');
  const bad = (message: string, path = '') => new InputError(`--set ${override}`, [{ path, message }]);
  if (eq <= 0) throw bad('expected path=value, e.g. --set duration="5 min" or --set workloads[0].arrivals.poisson=10/s');
  const pathText = override.slice(0, eq).trim();
  const keys: (string | number)[] = [];
  for (const part of pathText.split('.')) {
    const m = /^([A-Za-z_$][\w$-]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw bad(`expected a path like nodes[0].power.busy, got "${pathText}"`);
    // Never walk into or replace an object's prototype (`--set __proto__.x=1` would change every object).
    if (m[1] === '__proto__') throw bad(`expected a path like nodes[0].power.busy, got "${pathText}"`);
    keys.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) keys.push(Number(idx[1]));
  }
  let value: unknown;
  try {
    value = parseYaml(override.slice(eq + 1));
  } catch (e) {
    throw bad(`the value is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  let obj: unknown = raw;
  let created = -1;
  for (let i = 0; i < keys.length - 1; i++) {
    let next = Object.hasOwn(obj as object, keys[i]) ? (obj as Record<string | number, unknown>)[keys[i]] : undefined;
    // A key of a mapping that is absent (or null: none) becomes a new mapping when a key follows
    // (`--set policies.partitioning=edelear` on a file without `policies:`); the schema is strict,
    // so a misspelt key is still refused, by name. A list entry is never created.
    if ((next === undefined || next === null) && !Array.isArray(obj) && typeof keys[i] === 'string' && typeof keys[i + 1] === 'string') {
      next = (obj as Record<string, unknown>)[keys[i]] = {};
      if (created < 0) created = i;
    }
    if (next === null || typeof next !== 'object') {
      const found = next === undefined ? 'it is not there' : `it is ${typeName(next)}`;
      throw bad(`expected a mapping or list in ${file}, but ${found} (--set changes values and creates mappings, not list entries)`, formatPath(keys.slice(0, i + 1)));
    }
    obj = next;
  }
  const last = keys[keys.length - 1];
  // A named key on a list (`nodes.name=x`) would be silently ignored by validation, as would an index on a mapping.
  if (Array.isArray(obj) !== (typeof last === 'number')) {
    const at = formatPath(keys.slice(0, -1));
    throw bad(`expected ${Array.isArray(obj) ? 'an index such as [0]' : 'a key name'} after ${at}, which is ${typeName(obj)} in ${file}`, at);
  }
  (obj as Record<string | number, unknown>)[last] = value;
  return formatPath(created < 0 ? keys : keys.slice(0, created + 1));
}

function lineOf(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lc.linePos(node.range[0]).line;
    // A key without a node of its own (e.g. an unknown key): find the pair's key in its parent map.
    if (n > 0) {
      const parent = doc.getIn(path.slice(0, n - 1) as unknown[], true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => (p.key as { value?: unknown })?.value === path[n - 1]);
        const r = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
        if (r) return lc.linePos(r[0]).line;
      }
    }
  }
  return undefined;
}

/** A YAML error as a problem: its line, and for a duplicate key the key's path and first line. */
function yamlProblem(doc: Document, lc: LineCounter, e: YAMLError, syntax: 'YAML' | 'JSON'): Problem {
  const line = lc.linePos(e.pos[0]).line;
  if (e.code === 'DUPLICATE_KEY') {
    const dup = duplicateKeyAt(doc.contents, e.pos[0], []);
    if (dup) {
      const first = dup.first === undefined ? '' : ` (it is first given on line ${lc.linePos(dup.first).line})`;
      return { path: formatPath(dup.path), line, message: `duplicate key "${String(dup.path[dup.path.length - 1])}"; expected each key once${first}` };
    }
  }
  // The library's advice is for its callers; the user's mistake is a second document (`---`).
  if (/multiple documents/.test(e.message)) return { path: '', line, message: `expected one ${syntax} document, got more than one (a line "---" starts another): put the scenario in one document` };
  return { path: '', line, message: `not valid ${syntax}: ${e.message.split('\n')[0]}` };
}

/** Finds the key starting at `offset`: its path and where the same key first appears in its mapping. */
function duplicateKeyAt(node: unknown, offset: number, path: PropertyKey[]): { path: PropertyKey[]; first?: number } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
        const first = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
        return { path: [...path, key], first: isScalar(first?.key) ? first.key.range?.[0] : undefined };
      }
      const found = duplicateKeyAt(pair.value, offset, [...path, key]);
      if (found) return found;
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const found = duplicateKeyAt(node.items[i], offset, [...path, i]);
      if (found) return found;
    }
  }
  return undefined;
}

/** A check of a CSV column's values beyond being numbers. */
export type ColumnRule = 'non-negative' | 'non-decreasing';

/**
 * Reads one numeric column of a CSV file with a header row. A missing file or column is
 * reported at the scenario's path; a bad value at the CSV file's line and column.
 * `non-decreasing` (timestamps) also requires non-negative values.
 */
export function readColumn(
  csvFile: string,
  column: string | undefined,
  from: {
    file: string;
    path: readonly PropertyKey[];
    locate?: (path: readonly PropertyKey[]) => number | undefined;
    /** The scenario's problem at a path (its line, or marked as from --set); else one at `locate`'s line. */
    problem?: (path: readonly PropertyKey[], message: string) => Problem;
  },
  rule?: ColumnRule,
): Float64Array {
  const inScenario = (key: string, message: string) => {
    const path = [...from.path, key];
    return new InputError(from.file, [from.problem?.(path, message) ?? { path: formatPath(path), line: from.locate?.(path), message }]);
  };
  /** Which scenario key reads this file, for the errors reported at the CSV file's lines (helper-79: they named the CSV only). */
  const readFor = ` (read as ${formatPath(from.path)} of ${from.file})`;
  let bytes: Buffer;
  try {
    bytes = readFileSync(csvFile);
  } catch (e) {
    throw inScenario('file', `cannot read ${csvFile} (${ioReason(e)}); expected a CSV file, relative to the scenario's folder`);
  }
  const text = decodeUtf8(csvFile, bytes);
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    // bom: a UTF-8 byte-order mark (as spreadsheets write) is not part of the first column's name.
    rows = parseCsv(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false, info: true }) as unknown as typeof rows;
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new InputError(csvFile, [{ path: '', line, message: `not valid CSV: ${(e as Error).message}${readFor}` }]);
  }
  if (rows.length < 2) throw new InputError(csvFile, [{ path: '', line: 1, message: `expected a header row and at least one data row${readFor}` }]);
  const header = rows[0].record;
  // A first row of numbers is data, not names: read as a header it would lose its first value in silence.
  const numeric = header.find((h) => h !== '' && Number.isFinite(Number(h)));
  if (numeric !== undefined) {
    throw new InputError(csvFile, [{ path: '', line: rows[0].info.lines, message: `expected a header row naming the columns (e.g. "t"), got the number ${numeric}: add a first line with the column's name${readFor}` }]);
  }
  const col = column === undefined ? 0 : header.indexOf(column);
  if (col < 0) {
    throw inScenario('column', `expected a column of ${csvFile} (${header.map((h) => `"${h}"`).join(', ')}), got "${column}"`);
  }
  // A blank line before the last row is a missing value, not layout (helper-90: it was skipped in silence, where an empty cell is an error); blank lines at the end are layout.
  for (let i = 1; i < rows.length; i++) {
    // The row's first line: its last less the line breaks inside its quoted cells (csv-parse counts one per \r and per \n there).
    const start = rows[i].info.lines - rows[i].record.reduce((n, c) => n + (c.match(/[\r\n]/g)?.length ?? 0), 0);
    if (start > rows[i - 1].info.lines + 1) {
      throw new InputError(csvFile, [{ path: '', line: rows[i - 1].info.lines + 1, message: `expected a row of values, got a blank line (a missing value?): remove it, or give the value${readFor}` }]);
    }
  }
  const values = new Float64Array(rows.length - 1);
  for (let i = 1; i < rows.length; i++) {
    const cell = rows[i].record[col];
    // Decimal numbers only: Number() would also read 0x10 as 16, 0b1 as 1 and "Infinity".
    const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell) ? Number(cell) : NaN;
    const bad = (message: string) => new InputError(csvFile, [{ path: `column "${header[col]}"`, line: rows[i].info.lines, message: `${message}${readFor}` }]);
    if (cell === '' || !Number.isFinite(v)) throw bad(`expected a number, got "${cell}"`);
    if (rule !== undefined && v < 0) throw bad(`expected a non-negative number, got ${cell}`);
    if (rule === 'non-decreasing' && i > 1 && v < values[i - 2]) throw bad(`expected non-decreasing values (timestamps in order), got ${cell} after ${values[i - 2]}`);
    values[i - 1] = v;
  }
  return values;
}
